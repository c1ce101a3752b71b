/*
 * Agent start: on the first call of any wrapper, run xsched.run.agent.Agent.start() in a JVM
 * inside the program, or say once on stderr why the program runs natively.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interpose_internal.h"
#include "xsched_jni.h"

#define XS_AGENT_CLASS "xsched/run/agent/Agent"
#define XS_AGENT_STACK (8u << 20)
/*
 * The agent's JVM options when XSCHED_AGENT_JVM_OPTIONS is unset: a guest in someone else's
 * process, it takes a collector without threads of its own and with the lightest write barrier,
 * a heap of at most 1 GiB (not a quarter of the machine), two compiler threads, and no
 * hsperfdata file. Left out too when JAVA_TOOL_OPTIONS or _JAVA_OPTIONS is set: the JVM reads
 * those itself, and a collector or heap size there that clashes with these would make it exit
 * the program during its start instead of failing.
 */
#define XS_AGENT_DEFAULT_OPTIONS "-XX:+UseSerialGC -Xmx1g -XX:CICompilerCount=2 -XX:-UsePerfData"

/* (*env)[slot] cast to the slot's C type; `void (*)(void)` may be cast to any function type. */
#define XS_JNI(table, slot, type) ((type)(*(table))[slot])

typedef xs_jclass (*xs_find_class_fn)(xs_JNIEnv *, const char *);
typedef void (*xs_env_void_fn)(xs_JNIEnv *);
typedef xs_jboolean (*xs_exception_check_fn)(xs_JNIEnv *);
typedef void (*xs_delete_local_ref_fn)(xs_JNIEnv *, void *);
typedef xs_jmethodID (*xs_get_static_method_id_fn)(xs_JNIEnv *, xs_jclass, const char *, const char *);
typedef void (*xs_call_static_void_a_fn)(xs_JNIEnv *, xs_jclass, xs_jmethodID, const void *);
typedef xs_jint (*xs_attach_fn)(xs_JavaVM *, void **, void *);
typedef xs_jint (*xs_detach_fn)(xs_JavaVM *);

struct xs_start {
    char reason[512]; /* empty: the agent started */
};

/* Records why the agent did not start; the first reason wins. */
__attribute__((format(printf, 2, 3))) static void xs_fail(struct xs_start *s, const char *format, ...)
{
    if (s->reason[0] == '\0') {
        va_list ap;
        va_start(ap, format);
        vsnprintf(s->reason, sizeof s->reason, format, ap);
        va_end(ap);
    }
}

static void xs_say_native(const char *reason)
{
    char line[640];
    int n = snprintf(line, sizeof line, "xsched run: running natively: %s\n", reason);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    for (const char *p = line; n > 0;) { /* one write(2) unless interrupted: one line */
        ssize_t w = write(STDERR_FILENO, p, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (int)w;
    }
}

static xs_JavaVM *xs_created_vm(xs_JNI_GetCreatedJavaVMs_fn get_created)
{
    xs_JavaVM *vm = NULL;
    xs_jsize count = 0;
    if (get_created != NULL && get_created(&vm, 1, &count) == XS_JNI_OK && count > 0)
        return vm;
    return NULL;
}

static int xs_set(const char *value)
{
    return value != NULL && *value != '\0';
}

static int xs_count_words(const char *text)
{
    int words = 0;
    for (const char *p = text; *p != '\0'; p++)
        if (strchr(" \t\n", *p) == NULL && (p == text || strchr(" \t\n", p[-1]) != NULL))
            words++;
    return words;
}

/* Creates the JVM; on JNI_EEXIST (one exists after all) returns it with *env left NULL. */
static xs_JavaVM *xs_create_vm(struct xs_start *s, xs_JNIEnv **env)
{
    const char *home = getenv("XSCHED_JAVA_HOME");
    const char *class_path = getenv("XSCHED_AGENT_CLASSPATH");
    const char *extra = getenv("XSCHED_AGENT_JVM_OPTIONS");
    if (home == NULL || *home == '\0') {
        xs_fail(s, "XSCHED_JAVA_HOME is not set");
        return NULL;
    }
    if (class_path == NULL || *class_path == '\0') {
        xs_fail(s, "XSCHED_AGENT_CLASSPATH is not set");
        return NULL;
    }

    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/lib/server/libjvm.so", home) >= sizeof path) {
        xs_fail(s, "XSCHED_JAVA_HOME is too long");
        return NULL;
    }
    void *jvm = dlopen(path, RTLD_NOW | RTLD_GLOBAL); /* as the java launcher loads it */
    if (jvm == NULL) {
        xs_fail(s, "cannot load the JVM: %s", dlerror());
        return NULL;
    }
    xs_JNI_CreateJavaVM_fn create = (xs_JNI_CreateJavaVM_fn)xs_real_dlsym(jvm, "JNI_CreateJavaVM");
    xs_JNI_GetCreatedJavaVMs_fn get_created =
        (xs_JNI_GetCreatedJavaVMs_fn)xs_real_dlsym(jvm, "JNI_GetCreatedJavaVMs");
    if (create == NULL) {
        xs_fail(s, "%s has no JNI_CreateJavaVM", path);
        return NULL;
    }
    xs_jvm_loaded((void *)create);

    if (extra == NULL) /* set, even empty, it replaces the defaults */
        extra = xs_set(getenv("JAVA_TOOL_OPTIONS")) || xs_set(getenv("_JAVA_OPTIONS")) ? "" : XS_AGENT_DEFAULT_OPTIONS;
    int n = 3 + xs_count_words(extra);
    xs_JavaVMOption *options = calloc((size_t)n, sizeof *options);
    char *words = strdup(extra);
    char *class_path_option = malloc(strlen("-Djava.class.path=") + strlen(class_path) + 1);
    if (options == NULL || words == NULL || class_path_option == NULL) {
        free(options);
        free(words);
        free(class_path_option);
        xs_fail(s, "out of memory");
        return NULL;
    }
    strcat(strcpy(class_path_option, "-Djava.class.path="), class_path);
    options[0].optionString = class_path_option;
    options[1].optionString = (char *)"--enable-native-access=ALL-UNNAMED";
    options[2].optionString = (char *)"-Xrs";
    int i = 3;
    char *save = NULL;
    for (char *w = strtok_r(words, " \t\n", &save); w != NULL && i < n; w = strtok_r(NULL, " \t\n", &save))
        options[i++].optionString = w;
    xs_JavaVMInitArgs args = {
        .version = XS_JNI_VERSION_21, .nOptions = i, .options = options, .ignoreUnrecognized = 0};

    xs_JavaVM *vm = NULL;
    xs_jint rc = create(&vm, (void **)env, &args);
    free(options);
    free(words);
    free(class_path_option);
    if (rc == XS_JNI_EEXIST) {
        *env = NULL;
        vm = xs_created_vm(get_created);
        if (vm == NULL)
            xs_fail(s, "JNI_CreateJavaVM says a JVM exists, JNI_GetCreatedJavaVMs finds none");
        return vm;
    }
    if (rc != XS_JNI_OK) {
        xs_fail(s, "JNI_CreateJavaVM failed (error %d)", (int)rc);
        return NULL;
    }
    return vm;
}

static int xs_exception(xs_JNIEnv *env)
{
    if (!XS_JNI(env, XS_JNI_EXCEPTION_CHECK, xs_exception_check_fn)(env))
        return 0;
    XS_JNI(env, XS_JNI_EXCEPTION_DESCRIBE, xs_env_void_fn)(env);
    XS_JNI(env, XS_JNI_EXCEPTION_CLEAR, xs_env_void_fn)(env);
    return 1;
}

static void xs_call_start(struct xs_start *s, xs_JNIEnv *env)
{
    xs_jclass agent = XS_JNI(env, XS_JNI_FIND_CLASS, xs_find_class_fn)(env, XS_AGENT_CLASS);
    if (agent == NULL) {
        xs_exception(env);
        xs_fail(s, "class xsched.run.agent.Agent not found");
        return;
    }
    xs_jmethodID start =
        XS_JNI(env, XS_JNI_GET_STATIC_METHOD_ID, xs_get_static_method_id_fn)(env, agent, "start", "()V");
    if (start == NULL) {
        xs_exception(env);
        xs_fail(s, "xsched.run.agent.Agent has no static method start()V");
    } else {
        XS_JNI(env, XS_JNI_CALL_STATIC_VOID_METHOD_A, xs_call_static_void_a_fn)(env, agent, start, NULL);
        if (xs_exception(env))
            xs_fail(s, "xsched.run.agent.Agent.start() threw an exception (described above)");
    }
    XS_JNI(env, XS_JNI_DELETE_LOCAL_REF, xs_delete_local_ref_fn)(env, agent);
}

static void *xs_agent_thread(void *arg)
{
    struct xs_start *s = arg;
    xs_bypass_begin(); /* CUDA calls Java makes from this thread go straight to the driver */
    xs_JNIEnv *env = NULL;
    /* A JVM already in the process (a Java program, or one loaded RTLD_GLOBAL): attach to it
     * rather than load a second libjvm. */
    xs_JNI_GetCreatedJavaVMs_fn created =
        (xs_JNI_GetCreatedJavaVMs_fn)xs_real_dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    xs_JavaVM *vm = xs_created_vm(created);
    if (vm != NULL)
        xs_jvm_loaded((void *)created);
    if (vm == NULL)
        vm = xs_create_vm(s, &env);
    if (vm != NULL && env == NULL) {
        xs_jint rc = XS_JNI(vm, XS_JNI_ATTACH_CURRENT_THREAD, xs_attach_fn)(vm, (void **)&env, NULL);
        if (rc != XS_JNI_OK) {
            env = NULL;
            xs_fail(s, "cannot attach to the JVM in this process (error %d)", (int)rc);
        }
    }
    if (env != NULL) {
        xs_call_start(s, env);
        XS_JNI(vm, XS_JNI_DETACH_CURRENT_THREAD, xs_detach_fn)(vm);
    }
    xs_bypass_end();
    return NULL;
}

/*
 * Runs on a thread of its own, with every signal blocked: the JVM's threads inherit that mask,
 * so the program's signals keep going to the program's threads, and the JVM gets a stack of a
 * known size whatever the calling thread has. The caller waits.
 */
void xs_agent_start(void)
{
    const char *off = getenv("XSCHED_RUN_NO_AGENT");
    if (off != NULL && strcmp(off, "1") == 0)
        return;
    struct xs_start s = {.reason = ""};
    sigset_t all, old;
    pthread_attr_t attr;
    pthread_t thread;
    sigfillset(&all);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, XS_AGENT_STACK);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int err = pthread_create(&thread, &attr, xs_agent_thread, &s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (err != 0)
        xs_fail(&s, "cannot start the agent thread: %s", strerror(err));
    else
        pthread_join(thread, NULL);
    if (s.reason[0] != '\0') {
        xs_handlers_clear(); /* whatever a failed start installed */
        xs_say_native(s.reason);
    } else {
        /* A forked child has no JVM threads: its wrappers forward to the driver. */
        pthread_atfork(NULL, NULL, xs_handlers_clear);
    }
}
