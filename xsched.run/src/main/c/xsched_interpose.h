/*
 * libxsched-interpose: the LD_PRELOAD library of `xsched run -- <program>`.
 *
 * It interposes dlsym, cuGetProcAddress, cuGetProcAddress_v2 and the driver entry points listed
 * in entries.def. Each intercepted entry point has a slot in a table that the Java agent
 * (xsched.run.agent) reads and fills through FFM with the functions below. All four are
 * thread-safe and never fail; an index outside [0, count) is ignored (NULL for the getters).
 */
#ifndef XSCHED_INTERPOSE_H
#define XSCHED_INTERPOSE_H

/** @return the number of entries in the table; fixed for the life of the library */
int xsched_interpose_count(void);

/**
 * @return entry i's libcuda symbol name, e.g. "cuLaunchKernel_ptsz" (a static string), or NULL
 *         when i is out of range
 */
const char *xsched_interpose_name(int i);

/**
 * @return the driver function behind entry i: the pointer the program obtained through
 *         cuGetProcAddress or dlsym(handle, ...), else the symbol of that name in libcuda.so.1
 *         (loaded RTLD_LAZY|RTLD_GLOBAL if the program has not loaded it yet); NULL when there
 *         is none. Calling it never re-enters the interposer.
 */
void *xsched_interpose_real(int i);

/**
 * Makes entry i's wrapper call handler, which must have exactly the entry point's C signature,
 * instead of the real function; NULL restores forwarding. The handler is called only while
 * xsched_interpose_real(i) is non-NULL (it never reverts to NULL once set); otherwise the wrapper
 * returns CUDA_ERROR_NOT_FOUND itself. Calls already inside the previous
 * handler finish there, so a handler must stay callable until such calls have returned.
 * While a thread runs a handler, the wrappers it calls (directly or through pointers it got
 * from dlsym/cuGetProcAddress) go straight to the real functions.
 */
void xsched_interpose_install(int i, void *handler);

/**
 * Pauses the handlers (paused != 0) or lets them run again (0). While paused, every wrapper
 * forwards to the real function, as before the agent started (the agent, if started, keeps
 * running; calls already inside a handler finish there). For measuring xsched's own cost inside
 * one process: a program under `xsched run` alternates paused and scheduled rounds of the same
 * work (torch_check.py's `abx`), which a machine's drift between two processes cannot skew. Every
 * handler pauses, those of stream destruction and capture too: pause only around work that
 * destroys no stream and begins no capture, as the rounds of `abx` do.
 */
void xsched_interpose_pause(int paused);

/**
 * Marks entry i (laned != 0) as one whose calls may take their stream's lane, or unmarks it. A
 * marked entry's wrapper, its handler installed, finds the lane of the call's stream (not the
 * per-thread default stream); while the lane holds credits it takes one and calls the real function
 * itself, without the handler. Unmarked, every call goes to the handler.
 */
void xsched_interpose_lane_entry(int i, int laned);

/**
 * @return the lane of stream (0 or CU_STREAM_LEGACY: the legacy stream), made on first ask with no
 *         credits: two 64-bit words, 8-aligned. The first holds the credits the agent leaves; the
 *         wrappers take them by atomic decrement and take none while it is 0 or less. The second
 *         counts the launches made through the lane, each once its driver call returned (release
 *         order); it never goes back (a lane made again in a freed slot goes on from where it was), so
 *         a reader counts from the value it first finds. The words stay valid memory for the life of the
 *         process, and are the stream's lane until xsched_interpose_lane_free.
 *         NULL for CU_STREAM_PER_THREAD, or when the table of lanes (1024 in use) is full.
 */
long long *xsched_interpose_lane(unsigned long long stream);

/**
 * Frees the lane of stream, if it has one: its credits go to 0 and its slot may become another
 * stream's lane, so the caller must not write the word again. For a stream the application
 * destroyed, once its queue has closed the lane; a wrapper still calling with that handle finds no
 * lane and goes to its handler.
 */
void xsched_interpose_lane_free(unsigned long long stream);

/**
 * @return how many slots past its home slot a wrapper looks for a stream's lane at most: the
 *         farthest any live lane lies from its own (a diagnostic; it shrinks again as lanes are freed)
 */
unsigned xsched_interpose_lane_reach(void);

/*
 * Functions that do nothing and return 0 (CUDA_SUCCESS), with the signatures of cuLaunchKernel,
 * cuGraphLaunch and cuStreamSynchronize as the agent's handlers call them (handles and pointers
 * as 64-bit integers): the agent's warm-up calls its handlers with these as the "real" functions,
 * so that the JIT compiles the very path of a call before the program's calls take it.
 */
int xsched_nop_launch_kernel(unsigned long long f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                             unsigned int by, unsigned int bz, unsigned int shared, unsigned long long stream,
                             unsigned long long params, unsigned long long extra);
int xsched_nop_graph_launch(unsigned long long graph, unsigned long long stream);
int xsched_nop_stream_synchronize(unsigned long long stream);

#endif
