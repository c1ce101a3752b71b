/*
 * A CUDA driver API program for fake_device.c's libcuda.so.1, written as an application would:
 * it retains the primary context, loads a module, creates two streams, copies and sets memory
 * on them, launches 500 kernels on each and some on the legacy NULL stream (as 0 and as
 * CU_STREAM_LEGACY), makes one stream wait for an event recorded on the other, synchronizes and
 * destroys everything. Each kernel's only parameter is its sequence number on its stream, so the
 * fake's launch log tells whether every launch arrived exactly once and in order.
 *
 * Built twice: plainly it opens libcuda.so.1 with dlopen and resolves every entry point through
 * cuGetProcAddress_v2, as the CUDA runtime does; with -DLINKED it is linked against the library.
 *
 * Usage: device_program [GO_FILE]. With GO_FILE, once all work is done and checked (streams still
 * alive), it prints "ready pid=P a=0xA b=0xB" and waits until GO_FILE exists (at most 120 s).
 * It ends with one line, "device_program MODE: ... PASS" or "... FAIL", and exits 0 only on PASS.
 *
 * `device_program --per-thread GO_FILE` instead launches from two threads, each 200 kernels on
 * its per-thread default stream (CU_STREAM_PER_THREAD), and checks that each thread's own stream
 * got exactly its launches, in order, and that no other thread (the main one, or any thread of
 * xsched's) ever used a per-thread stream; then "ready pid=P" and the wait as above.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef uint64_t cuuint64_t;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;

#define CU_STREAM_LEGACY ((CUstream)0x1)
#define CU_STREAM_PER_THREAD ((CUstream)0x2)
#define CU_STREAM_NON_BLOCKING 0x1
#define CU_EVENT_DISABLE_TIMING 0x2
#define CUDA_VERSION_ASKED 12000

enum { KERNELS = 500, LEGACY_EVERY = 25, LEGACY_KERNELS = KERNELS / LEGACY_EVERY, BYTES = 4096 };
enum { PER_THREAD_THREADS = 2, PER_THREAD_KERNELS = 200 };

#define FUNCTIONS(X)                                                                                 \
    X(cuInit, "cuInit", (unsigned int))                                                              \
    X(cuDeviceGet, "cuDeviceGet", (CUdevice *, int))                                                 \
    X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", (CUcontext *, CUdevice))                 \
    X(cuDevicePrimaryCtxRelease_v2, "cuDevicePrimaryCtxRelease", (CUdevice))                         \
    X(cuCtxSetCurrent, "cuCtxSetCurrent", (CUcontext))                                               \
    X(cuCtxSynchronize, "cuCtxSynchronize", (void))                                                  \
    X(cuModuleLoadDataEx, "cuModuleLoadDataEx", (CUmodule *, const void *, unsigned int, int *, void **)) \
    X(cuModuleGetFunction, "cuModuleGetFunction", (CUfunction *, CUmodule, const char *))            \
    X(cuModuleUnload, "cuModuleUnload", (CUmodule))                                                  \
    X(cuMemAlloc_v2, "cuMemAlloc", (CUdeviceptr *, size_t))                                          \
    X(cuMemFree_v2, "cuMemFree", (CUdeviceptr))                                                      \
    X(cuMemcpyDtoH_v2, "cuMemcpyDtoH", (void *, CUdeviceptr, size_t))                                \
    X(cuMemcpyHtoDAsync_v2, "cuMemcpyHtoDAsync", (CUdeviceptr, const void *, size_t, CUstream))      \
    X(cuMemcpyDtoHAsync_v2, "cuMemcpyDtoHAsync", (void *, CUdeviceptr, size_t, CUstream))            \
    X(cuMemsetD8Async, "cuMemsetD8Async", (CUdeviceptr, unsigned char, size_t, CUstream))            \
    X(cuStreamCreate, "cuStreamCreate", (CUstream *, unsigned int))                                  \
    X(cuStreamSynchronize, "cuStreamSynchronize", (CUstream))                                        \
    X(cuStreamWaitEvent, "cuStreamWaitEvent", (CUstream, CUevent, unsigned int))                     \
    X(cuStreamDestroy_v2, "cuStreamDestroy", (CUstream))                                             \
    X(cuEventCreate, "cuEventCreate", (CUevent *, unsigned int))                                     \
    X(cuEventRecord, "cuEventRecord", (CUevent, CUstream))                                           \
    X(cuEventDestroy_v2, "cuEventDestroy", (CUevent))                                                \
    X(cuLaunchKernel, "cuLaunchKernel", (CUfunction, unsigned int, unsigned int, unsigned int,       \
                                         unsigned int, unsigned int, unsigned int, unsigned int,     \
                                         CUstream, void **, void **))

/* The fake's own query functions (fake_device.c). */
#define FAKE_FUNCTIONS(X)                                  \
    X(fake_launches, long, (CUstream))                     \
    X(fake_launch_log, long, (CUstream, int *, long))      \
    X(fake_unmodelled, long, (void))                       \
    X(fake_per_thread_streams, long, (void))

#ifdef LINKED
#define DECLARE(name, base, params) CUresult name params;
FUNCTIONS(DECLARE)
#define DECLARE_FAKE(name, type, params) type name params;
FAKE_FUNCTIONS(DECLARE_FAKE)
#define MODE "linked"
#else
#define MODE "dlopen+cuGetProcAddress"
#endif

static struct {
#define FIELD(name, base, params) CUresult (*name) params;
    FUNCTIONS(FIELD)
#define FAKE_FIELD(name, type, params) type (*name) params;
    FAKE_FUNCTIONS(FAKE_FIELD)
} cu;

static int failures;

static void fail(const char *format, const char *what, long value)
{
    failures++;
    fprintf(stderr, "device_program: ");
    fprintf(stderr, format, what, value);
    fputc('\n', stderr);
}

#define CALL(expr)                                                   \
    do {                                                             \
        CUresult rc_ = (expr);                                       \
        if (rc_ != 0) {                                              \
            fail("%s returned %ld", #expr, rc_);                     \
            return 1;                                                \
        }                                                            \
    } while (0)

static int resolve(void)
{
#ifdef LINKED
#define TAKE(name, base, params) cu.name = name;
    FUNCTIONS(TAKE)
#define TAKE_FAKE(name, type, params) cu.name = name;
    FAKE_FUNCTIONS(TAKE_FAKE)
    return 0;
#else
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "device_program: %s\n", dlerror());
        return 1;
    }
    typedef CUresult (*gpa_fn)(const char *, void **, int, cuuint64_t, int *);
    gpa_fn gpa = (gpa_fn)dlsym(lib, "cuGetProcAddress_v2");
    if (gpa == NULL) {
        fprintf(stderr, "device_program: libcuda.so.1 has no cuGetProcAddress_v2\n");
        return 1;
    }
    int status;
    void *fn;
#define LOOKUP(name, base, params)                                                      \
    if (gpa(base, &fn, CUDA_VERSION_ASKED, 0, &status) != 0 || fn == NULL) {             \
        fprintf(stderr, "device_program: cuGetProcAddress(%s) failed (%d)\n", base, status); \
        return 1;                                                                        \
    }                                                                                    \
    cu.name = (CUresult(*) params)fn;
    FUNCTIONS(LOOKUP)
#define LOOKUP_FAKE(name, type, params)                                                  \
    if ((cu.name = (type(*) params)dlsym(lib, #name)) == NULL) {                         \
        fprintf(stderr, "device_program: libcuda.so.1 has no %s\n", #name);              \
        return 1;                                                                        \
    }
    FAKE_FUNCTIONS(LOOKUP_FAKE)
    return 0;
#endif
}

static int launch(CUfunction f, CUstream stream, int seq)
{
    void *params[] = {&seq}; /* the application's memory: valid only until the call returns */
    CALL(cu.cuLaunchKernel(f, 2, 1, 1, 128, 1, 1, 0, stream, params, NULL));
    return 0;
}

/* The stream's launch log must be 0, 1, …, expected - 1. */
static void check_log(const char *name, CUstream stream, long expected, char *summary, size_t size)
{
    static int log[2 * KERNELS];
    long n = cu.fake_launch_log(stream, log, sizeof log / sizeof *log);
    long in_order = 0;
    while (in_order < n && in_order < (long)(sizeof log / sizeof *log) && log[in_order] == in_order)
        in_order++;
    if (n != expected)
        fail("%s: the fake counted %ld launches", name, n);
    else if (in_order != n)
        fail("%s: launch %ld arrived out of order, twice, or with a wrong parameter", name, in_order);
    size_t used = strlen(summary);
    snprintf(summary + used, size - used, "%s%s %ld/%ld%s", used > 0 ? ", " : "", name, n, expected,
             n == expected && in_order == n ? " in order" : " WRONG");
}

static int wait_for(const char *go)
{
    for (int i = 0; i < 120 * 50; i++) {
        if (access(go, F_OK) == 0)
            return 0;
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    fail("%s never appeared (waited %ld s)", go, 120);
    return 1;
}

/* `device_program --bench N [SYNC]`: what a launch costs the program, natively or under xsched run
 * (the fake device does no work, so this is the call path alone): N launches on one stream, a stream
 * synchronize every SYNC (default 64; a large one keeps the launch window full, as eager PyTorch
 * does), timed on the program's own clock. */
static double since_ns(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e9 + (double)(t.tv_nsec - t0->tv_nsec);
}

static int bench(CUfunction kernel, CUstream stream, long n, long sync_every)
{
    /* one launch first, untimed: under xsched run it starts the JVM and the agent */
    if (launch(kernel, stream, -1) != 0)
        return 1;
    CALL(cu.cuStreamSynchronize(stream));
    long base = cu.fake_launches(stream);
    struct timespec t0;
    char tenths[256] = "";
    size_t used = 0;
    double last = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        if (launch(kernel, stream, (int)i) != 0)
            return 1;
        if (i % sync_every == sync_every - 1)
            CALL(cu.cuStreamSynchronize(stream));
        if (n >= 10 && (i + 1) % (n / 10) == 0 && used < sizeof tenths - 16) {
            double now = since_ns(&t0);
            used += (size_t)snprintf(tenths + used, sizeof tenths - used, " %.0f", (now - last) / (double)(n / 10));
            last = now;
        }
    }
    CALL(cu.cuStreamSynchronize(stream));
    double ns = since_ns(&t0);
    long logged = cu.fake_launches(stream) - base;
    printf("launch_cost %s: %ld launches on one stream, a synchronize every %ld (%ld arrived), %.0f ns each; by tenth:%s\n", MODE, n,
           sync_every, logged, ns / (double)n, tenths);
    return logged == n ? 0 : 1;
}

/* `device_program --periodic JOBS KERNELS PERIOD_US [legacy]`: the CPU path of a periodic job, as a
 * latency-critical program has it: after a sleep to the job's time, KERNELS launches and a stream
 * synchronize; the percentiles of the first call, of all the launches and of the synchronize, in µs
 * (the fake device does no work, so this is xsched's path alone). */
static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    printf(" %s p50 %.1f p99 %.1f;", what, v[n / 2] / 1e3, v[n * 99 / 100] / 1e3);
}

static int periodic(CUfunction kernel, CUstream stream, int jobs, int kernels, long period_us)
{
    double *first = calloc((size_t)jobs, sizeof *first), *all = calloc((size_t)jobs, sizeof *all),
           *sync = calloc((size_t)jobs, sizeof *sync);
    if (first == NULL || all == NULL || sync == NULL || kernels < 1)
        return 1;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    int warm = jobs / 5;
    for (int j = -warm; j < jobs; j++) {
        next.tv_nsec += period_us * 1000;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        double f = 0, a = 0;
        for (int k = 0; k < kernels; k++) {
            if (launch(kernel, stream, k) != 0)
                return 1;
            if (k == 0)
                f = since_ns(&t0);
        }
        a = since_ns(&t0);
        CALL(cu.cuStreamSynchronize(stream));
        if (j >= 0) {
            first[j] = f;
            all[j] = a;
            sync[j] = since_ns(&t0) - a;
        }
    }
    printf("periodic %s: %d jobs of %d launches every %ld us (µs):", MODE, jobs, kernels, period_us);
    percentiles("first call", first, jobs);
    percentiles("launches", all, jobs);
    percentiles("synchronize", sync, jobs);
    printf("\n");
    return 0;
}

/* One thread of the per-thread mode: its launches on its own per-thread stream, then what arrived there. */
struct per_thread_run {
    CUcontext ctx;
    CUfunction kernel;
    long arrived;  /* launches the fake logged on this thread's per-thread stream */
    long in_order; /* how many of them were 0, 1, 2, … */
    CUresult rc;
};

static void *launch_on_own_stream(void *arg)
{
    struct per_thread_run *run = arg;
    static _Thread_local int log[2 * PER_THREAD_KERNELS];
    if ((run->rc = cu.cuCtxSetCurrent(run->ctx)) != 0)
        return NULL;
    for (int i = 0; i < PER_THREAD_KERNELS; i++) {
        void *params[] = {&i};
        if ((run->rc = cu.cuLaunchKernel(run->kernel, 2, 1, 1, 128, 1, 1, 0, CU_STREAM_PER_THREAD, params, NULL)) != 0)
            return NULL;
    }
    if ((run->rc = cu.cuStreamSynchronize(CU_STREAM_PER_THREAD)) != 0)
        return NULL;
    run->arrived = cu.fake_launch_log(CU_STREAM_PER_THREAD, log, sizeof log / sizeof *log);
    while (run->in_order < run->arrived && log[run->in_order] == run->in_order)
        run->in_order++;
    return NULL;
}

static int per_thread(CUcontext ctx, CUfunction kernel, const char *go)
{
    pthread_t threads[PER_THREAD_THREADS];
    struct per_thread_run runs[PER_THREAD_THREADS];
    char summary[256] = "";
    for (int t = 0; t < PER_THREAD_THREADS; t++) {
        runs[t] = (struct per_thread_run){.ctx = ctx, .kernel = kernel};
        if (pthread_create(&threads[t], NULL, launch_on_own_stream, &runs[t]) != 0) {
            fail("%s: pthread_create failed%ld", "per-thread", 0);
            return 1;
        }
    }
    for (int t = 0; t < PER_THREAD_THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (runs[t].rc != 0)
            fail("per-thread: a call of thread %s returned %ld", t == 0 ? "0" : "1", runs[t].rc);
        else if (runs[t].arrived != PER_THREAD_KERNELS || runs[t].in_order != PER_THREAD_KERNELS)
            fail("per-thread: thread %s's own stream got %ld launches, or not all in order", t == 0 ? "0" : "1", runs[t].arrived);
        size_t used = strlen(summary);
        snprintf(summary + used, sizeof summary - used, "%sthread %d %ld/%d%s", t > 0 ? ", " : "", t, runs[t].arrived,
                 PER_THREAD_KERNELS, runs[t].in_order == PER_THREAD_KERNELS ? " in order" : " WRONG");
    }
    long streams = cu.fake_per_thread_streams();
    if (streams != PER_THREAD_THREADS)
        fail("%s: %ld threads used a per-thread stream, not only the two launching ones", "per-thread", streams);
    printf("ready pid=%ld\n", (long)getpid());
    fflush(stdout);
    if (wait_for(go) != 0)
        return 1;
    long unmodelled = cu.fake_unmodelled();
    if (unmodelled != 0)
        fail("%s: the fake refused %ld calls it cannot model", "fake", unmodelled);
    printf("device_program %s: per-thread streams: %s; %ld per-thread streams; unmodelled %ld: %s\n", MODE, summary, streams,
           unmodelled, failures == 0 ? "PASS" : "FAIL");
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *go = argc > 1 ? argv[1] : NULL;
    static unsigned char src[BYTES], back[BYTES], set[BYTES];
    for (int i = 0; i < BYTES; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    if (resolve() != 0)
        return 1;

    CUdevice dev;
    CUcontext ctx;
    CUmodule module;
    CUfunction kernel;
    CUstream a, b;
    CUevent half;
    CUdeviceptr d1, d2;
    CALL(cu.cuInit(0));
    CALL(cu.cuDeviceGet(&dev, 0));
    CALL(cu.cuDevicePrimaryCtxRetain(&ctx, dev));
    CALL(cu.cuCtxSetCurrent(ctx));
    CALL(cu.cuModuleLoadDataEx(&module, "// a PTX module", 0, NULL, NULL));
    CALL(cu.cuModuleGetFunction(&kernel, module, "count"));
    CALL(cu.cuStreamCreate(&a, CU_STREAM_NON_BLOCKING));
    CALL(cu.cuStreamCreate(&b, 0));
    CALL(cu.cuEventCreate(&half, CU_EVENT_DISABLE_TIMING));
    CALL(cu.cuMemAlloc_v2(&d1, BYTES));
    CALL(cu.cuMemAlloc_v2(&d2, BYTES));

    if (go != NULL && strcmp(go, "--per-thread") == 0 && argc > 2)
        return per_thread(ctx, kernel, argv[2]);
    if (go != NULL && strcmp(go, "--periodic") == 0 && argc > 4)
        return periodic(kernel, argc > 5 && strcmp(argv[5], "legacy") == 0 ? NULL : a, atoi(argv[2]), atoi(argv[3]), atol(argv[4]));
    if (go != NULL && strcmp(go, "--bench") == 0)
        return bench(kernel, a, argc > 2 ? atol(argv[2]) : 200000, argc > 3 && atol(argv[3]) > 0 ? atol(argv[3]) : 64);

    /* stream a: 2 copies + 500 kernels; stream b: 1 memset + 500 kernels; legacy: 20 kernels */
    CALL(cu.cuMemcpyHtoDAsync_v2(d1, src, BYTES, a));
    CALL(cu.cuMemcpyDtoHAsync_v2(back, d1, BYTES, a));
    CALL(cu.cuMemsetD8Async(d2, 0x5a, BYTES, b));
    for (int i = 0; i < KERNELS; i++) {
        if (launch(kernel, a, i) != 0 || launch(kernel, b, i) != 0)
            return 1;
        if (i % LEGACY_EVERY == 0 && launch(kernel, (i / LEGACY_EVERY) % 2 == 0 ? 0 : CU_STREAM_LEGACY, i / LEGACY_EVERY) != 0)
            return 1;
        if (i == KERNELS / 2) {
            CALL(cu.cuEventRecord(half, a));
            CALL(cu.cuStreamWaitEvent(b, half, 0));
        }
    }
    CALL(cu.cuStreamSynchronize(a));
    CALL(cu.cuStreamSynchronize(b));
    CALL(cu.cuStreamSynchronize(0));
    CALL(cu.cuCtxSynchronize());
    CALL(cu.cuMemcpyDtoH_v2(set, d2, BYTES));

    char summary[512] = "";
    check_log("stream a", a, KERNELS, summary, sizeof summary);
    check_log("stream b", b, KERNELS, summary, sizeof summary);
    check_log("legacy stream", 0, LEGACY_KERNELS, summary, sizeof summary);
    int copies = memcmp(src, back, BYTES) == 0;
    for (int i = 0; i < BYTES; i++)
        copies = copies && set[i] == 0x5a;
    if (!copies)
        fail("%s: the copied or set bytes are wrong%ld", "memory", 0);

    if (go != NULL) {
        printf("ready pid=%ld a=0x%lx b=0x%lx\n", (long)getpid(), (unsigned long)(uintptr_t)a, (unsigned long)(uintptr_t)b);
        fflush(stdout);
        if (wait_for(go) != 0)
            return 1;
    }

    CALL(cu.cuStreamDestroy_v2(a));
    CALL(cu.cuStreamDestroy_v2(b));
    CALL(cu.cuEventDestroy_v2(half));
    CALL(cu.cuMemFree_v2(d1));
    CALL(cu.cuMemFree_v2(d2));
    CALL(cu.cuModuleUnload(module));
    CALL(cu.cuDevicePrimaryCtxRelease_v2(dev));
    /* nothing more reached the fake while the streams' queues closed */
    if (cu.fake_launches(a) != KERNELS || cu.fake_launches(b) != KERNELS || cu.fake_launches(0) != LEGACY_KERNELS)
        fail("%s: launches reached the fake after the streams were synchronized%ld", "close", 0);
    long unmodelled = cu.fake_unmodelled();
    if (unmodelled != 0)
        fail("%s: the fake refused %ld calls it cannot model", "fake", unmodelled);

    printf("device_program %s: launches %s; copies %s; unmodelled %ld: %s\n", MODE, summary, copies ? "ok" : "WRONG",
           unmodelled, failures == 0 ? "PASS" : "FAIL");
    return failures == 0 ? 0 : 1;
}
