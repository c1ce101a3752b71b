/* What interpose.c and agent.c share; nothing here is exported from the library. */
#ifndef XSCHED_INTERPOSE_INTERNAL_H
#define XSCHED_INTERPOSE_INTERNAL_H

#define XS_HIDDEN __attribute__((visibility("hidden")))
#define XS_EXPORT __attribute__((visibility("default")))

/* agent.c: the pthread_once routine the first wrapper call runs; prints at most one line. */
XS_HIDDEN void xs_agent_start(void);

/* glibc's dlsym, never intercepted; lookups through it are made on behalf of this library. */
XS_HIDDEN void *xs_real_dlsym(void *handle, const char *name);

/* agent.c, once the JVM is loaded: symbol is any function of libjvm. From then on dlsym hands
 * lookups made by libjvm (FFM's, for xsched's CUDA backend) the real driver functions. */
XS_HIDDEN void xs_jvm_loaded(void *symbol);

/* Uninstalls every handler: the wrappers forward to the real functions again. */
XS_HIDDEN void xs_handlers_clear(void);

/* Between these, the calling thread's wrapper calls skip agent start and handlers. Nest. */
XS_HIDDEN void xs_bypass_begin(void);
XS_HIDDEN void xs_bypass_end(void);

#endif
