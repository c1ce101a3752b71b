/*
 * Drives libxsched-interpose against fake_cuda.c's libcuda.so.1 the ways real programs reach
 * the driver: cuGetProcAddress(_v2) (default, legacy and per-thread flags, several versions),
 * dlsym on the library handle, and (built with -DLINKED) direct calls. Every call must reach
 * the fake exactly once. Usage: test_driver native|preload
 * ("preload": libxsched-interpose is in LD_PRELOAD, so lookups must yield its wrappers).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xsched_cuda.h"

typedef CUresult (*launch_fn)(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
                              unsigned int, unsigned int, unsigned int, CUstream, void **, void **);
typedef CUresult (*stream_fn)(CUstream);
typedef CUresult (*void_fn)(void);
typedef CUresult (*ctx_fn)(CUcontext);
typedef CUresult (*htod_fn)(CUdeviceptr, const void *, size_t, CUstream);
typedef CUresult (*htod_v1_fn)(unsigned int, const void *, unsigned int, CUstream);
typedef CUresult (*event_record_fn)(CUevent, CUstream);
typedef CUresult (*event_record_future_fn)(CUevent, CUstream, unsigned int);
typedef CUresult (*version_fn)(int *);
typedef CUresult (*gpa_fn)(const char *, void **, int, cuuint64_t);
typedef CUresult (*gpa2_fn)(const char *, void **, int, cuuint64_t, CUdriverProcAddressQueryResult *);

#ifdef LINKED
CUresult cuLaunchKernel(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int,
                        unsigned int, unsigned int, unsigned int, CUstream, void **, void **);
CUresult cuStreamSynchronize(CUstream);
CUresult cuCtxSynchronize(void);
#endif

#define PTDS CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM
#define LEGACY CU_GET_PROC_ADDRESS_LEGACY_STREAM

static int preload;
static atomic_int failures;
static atomic_int checks;
static void *lib;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        atomic_fetch_add(&checks, 1);                                     \
        if (!(cond)) {                                                    \
            atomic_fetch_add(&failures, 1);                               \
            fprintf(stderr, "FAIL test_driver.c:%d: ", __LINE__);         \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
        }                                                                 \
    } while (0)

/* ---- the fake's own functions and its call counts ---------------------------------------- */

static int (*fake_calls)(const char *);
static void *(*fake_lookup)(const char *, int, cuuint64_t);
static void *(*fake_rtld_next)(const char *);
static void *(*fake_rtld_default)(const char *);

static const char *const counted[] = {
    "cuLaunchKernel", "cuLaunchKernel_ptsz", "cuStreamSynchronize", "cuStreamSynchronize_ptsz",
    "cuCtxSynchronize", "cuCtxSynchronize_v2", "cuMemcpyHtoDAsync", "cuMemcpyHtoDAsync_v2",
    "cuMemcpyHtoDAsync_v2_ptsz", "cuEventRecord", "cuEventRecord_future", "cuDriverGetVersion",
};
#define NCOUNTED (sizeof counted / sizeof *counted)
static atomic_int expected[NCOUNTED];

static void expect(const char *name)
{
    for (size_t i = 0; i < NCOUNTED; i++)
        if (strcmp(counted[i], name) == 0) {
            atomic_fetch_add(&expected[i], 1);
            return;
        }
    CHECK(0, "no count for %s", name);
}

static const char *origin(const void *fn)
{
    Dl_info info;
    if (fn == NULL || dladdr(fn, &info) == 0 || info.dli_fname == NULL)
        return "?";
    const char *slash = strrchr(info.dli_fname, '/');
    return slash != NULL ? slash + 1 : info.dli_fname;
}

static int from_interposer(const void *fn)
{
    return strstr(origin(fn), "libxsched-interpose") != NULL;
}

/* p must be the fake's own function, or, when preloaded and intercepted, a wrapper. */
static void check_resolved(const char *what, const void *p, const void *fake, int intercepted)
{
    CHECK(p != NULL, "%s: resolved to NULL", what);
    if (preload && intercepted)
        CHECK(p != fake && from_interposer(p), "%s: want the interposer's wrapper, got %p (%s)", what,
              p, origin(p));
    else
        CHECK(p == fake, "%s: want the fake's %p, got %p (%s)", what, fake, p, origin(p));
}

enum kind { LAUNCH, STREAM, VOID, CTX, HTOD, HTOD_V1, EVENT_RECORD, EVENT_FUTURE, VERSION };

static void call(const char *what, void *p, enum kind kind, const char *counts_as)
{
    CUresult rc = CUDA_ERROR_NOT_FOUND;
    int version = 0;
    char buffer[4] = "abc";
    switch (kind) {
    case LAUNCH: rc = ((launch_fn)p)(NULL, 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL); break;
    case STREAM: rc = ((stream_fn)p)(NULL); break;
    case VOID: rc = ((void_fn)p)(); break;
    case CTX: rc = ((ctx_fn)p)(NULL); break;
    case HTOD: rc = ((htod_fn)p)(0x1000, buffer, sizeof buffer, NULL); break;
    case HTOD_V1: rc = ((htod_v1_fn)p)(0x1000, buffer, sizeof buffer, NULL); break;
    case EVENT_RECORD: rc = ((event_record_fn)p)(NULL, NULL); break;
    case EVENT_FUTURE: rc = ((event_record_future_fn)p)(NULL, NULL, 0); break;
    case VERSION: rc = ((version_fn)p)(&version); break;
    }
    CHECK(rc == CUDA_SUCCESS, "%s: call returned %d", what, (int)rc);
    expect(counts_as);
}

/* ---- first use, from several threads at once --------------------------------------------- */

static void *first_use(void *sync)
{
    CUresult rc = ((stream_fn)sync)(NULL);
    CHECK(rc == CUDA_SUCCESS, "concurrent cuStreamSynchronize returned %d", (int)rc);
    expect("cuStreamSynchronize");
    return NULL;
}

static void test_first_use(void)
{
    void *sync = dlsym(lib, "cuStreamSynchronize");
    check_resolved("dlsym(lib, cuStreamSynchronize)", sync, fake_lookup("cuStreamSynchronize", 2000, 0), 1);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, first_use, sync);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
}

/* ---- (a) cuGetProcAddress ------------------------------------------------------------------ */

static const struct proc_case {
    const char *symbol;
    int version;
    cuuint64_t flags;
    int use_v1;
    int intercepted;
    enum kind kind;
    const char *counts_as;
} proc_cases[] = {
    {"cuLaunchKernel", 12000, CU_GET_PROC_ADDRESS_DEFAULT, 0, 1, LAUNCH, "cuLaunchKernel"},
    {"cuLaunchKernel", 12000, PTDS, 0, 1, LAUNCH, "cuLaunchKernel_ptsz"},
    {"cuLaunchKernel", 12000, PTDS, 1, 1, LAUNCH, "cuLaunchKernel_ptsz"},
    {"cuLaunchKernel", 12000, LEGACY, 1, 1, LAUNCH, "cuLaunchKernel"},
    {"cuLaunchKernel", 6050, PTDS, 0, 1, LAUNCH, "cuLaunchKernel"}, /* no per-thread variant yet */
    {"cuMemcpyHtoDAsync", 12000, CU_GET_PROC_ADDRESS_DEFAULT, 0, 1, HTOD, "cuMemcpyHtoDAsync_v2"},
    {"cuMemcpyHtoDAsync", 12000, PTDS, 0, 1, HTOD, "cuMemcpyHtoDAsync_v2_ptsz"},
    {"cuMemcpyHtoDAsync", 3000, CU_GET_PROC_ADDRESS_DEFAULT, 0, 0, HTOD_V1, "cuMemcpyHtoDAsync"},
    {"cuStreamSynchronize", 12000, PTDS, 0, 1, STREAM, "cuStreamSynchronize_ptsz"},
    {"cuCtxSynchronize", 12080, CU_GET_PROC_ADDRESS_DEFAULT, 0, 1, VOID, "cuCtxSynchronize"},
    {"cuCtxSynchronize", 12080, PTDS, 0, 1, VOID, "cuCtxSynchronize"},
    {"cuCtxSynchronize", 13000, CU_GET_PROC_ADDRESS_DEFAULT, 0, 1, CTX, "cuCtxSynchronize_v2"},
    {"cuEventRecord", 13010, CU_GET_PROC_ADDRESS_DEFAULT, 0, 1, EVENT_RECORD, "cuEventRecord"},
    {"cuEventRecord", 13050, CU_GET_PROC_ADDRESS_DEFAULT, 0, 0, EVENT_FUTURE, "cuEventRecord_future"},
    {"cuDriverGetVersion", 12000, CU_GET_PROC_ADDRESS_DEFAULT, 0, 0, VERSION, "cuDriverGetVersion"},
};

static void test_get_proc_address(void)
{
    gpa_fn gpa = (gpa_fn)dlsym(lib, "cuGetProcAddress");
    gpa2_fn gpa2 = (gpa2_fn)dlsym(lib, "cuGetProcAddress_v2");
    check_resolved("dlsym(lib, cuGetProcAddress)", (void *)gpa, fake_lookup("cuGetProcAddress", 11030, 0), 1);
    check_resolved("dlsym(lib, cuGetProcAddress_v2)", (void *)gpa2, fake_lookup("cuGetProcAddress", 12000, 0), 1);
    if (gpa == NULL || gpa2 == NULL)
        return;
    for (size_t i = 0; i < sizeof proc_cases / sizeof *proc_cases; i++) {
        const struct proc_case *c = &proc_cases[i];
        char what[160];
        snprintf(what, sizeof what, "cuGetProcAddress%s(%s, %d, flags %llu)", c->use_v1 ? "" : "_v2",
                 c->symbol, c->version, (unsigned long long)c->flags);
        void *p = NULL;
        CUdriverProcAddressQueryResult status = CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT;
        CUresult rc = c->use_v1 ? gpa(c->symbol, &p, c->version, c->flags)
                                : gpa2(c->symbol, &p, c->version, c->flags, &status);
        CHECK(rc == CUDA_SUCCESS, "%s returned %d", what, (int)rc);
        if (!c->use_v1)
            CHECK(status == CU_GET_PROC_ADDRESS_SUCCESS, "%s: status %d", what, (int)status);
        check_resolved(what, p, fake_lookup(c->symbol, c->version, c->flags), c->intercepted);
        if (p != NULL)
            call(what, p, c->kind, c->counts_as);
    }

    void *p = (void *)gpa;
    CUdriverProcAddressQueryResult status = CU_GET_PROC_ADDRESS_SUCCESS;
    CUresult rc = gpa2("cuNoSuchThing", &p, 12000, 0, &status);
    CHECK(rc == CUDA_ERROR_NOT_FOUND && p == NULL && status == CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND,
          "unknown symbol: rc %d, pfn %p, status %d", (int)rc, p, (int)status);

    /* cuGetProcAddress found through itself is wrapped too, and keeps wrapping. */
    gpa2_fn inner = NULL;
    rc = gpa2("cuGetProcAddress", (void **)&inner, 12000, 0, NULL);
    CHECK(rc == CUDA_SUCCESS, "cuGetProcAddress_v2(cuGetProcAddress) returned %d", (int)rc);
    check_resolved("cuGetProcAddress_v2(cuGetProcAddress, 12000)", (void *)inner, fake_lookup("cuGetProcAddress", 12000, 0), 1);
    if (inner != NULL) {
        p = NULL;
        rc = inner("cuStreamSynchronize", &p, 12000, 0, NULL);
        CHECK(rc == CUDA_SUCCESS, "inner cuGetProcAddress_v2 returned %d", (int)rc);
        check_resolved("inner cuGetProcAddress_v2(cuStreamSynchronize)", p, fake_lookup("cuStreamSynchronize", 12000, 0), 1);
        if (p != NULL)
            call("inner cuStreamSynchronize", p, STREAM, "cuStreamSynchronize");
    }
}

/* ---- (b) dlsym ----------------------------------------------------------------------------- */

static void test_dlsym(void)
{
    void *p = dlsym(lib, "cuDriverGetVersion");
    check_resolved("dlsym(lib, cuDriverGetVersion)", p, fake_lookup("cuDriverGetVersion", 12000, 0), 0);
    if (p != NULL)
        call("cuDriverGetVersion", p, VERSION, "cuDriverGetVersion");
    p = dlsym(lib, "cuMemcpyHtoDAsync");
    check_resolved("dlsym(lib, cuMemcpyHtoDAsync)", p, fake_lookup("cuMemcpyHtoDAsync", 3000, 0), 0);
    p = dlsym(lib, "cuCtxSynchronize_v2");
    check_resolved("dlsym(lib, cuCtxSynchronize_v2)", p, fake_lookup("cuCtxSynchronize", 13000, 0), 1);
    if (p != NULL)
        call("cuCtxSynchronize_v2", p, CTX, "cuCtxSynchronize_v2");

    (void)dlerror();
    p = dlsym(lib, "cuNoSuchThing");
    CHECK(p == NULL && dlerror() != NULL, "dlsym(lib, cuNoSuchThing): %p, or no dlerror()", p);

    p = dlsym(RTLD_DEFAULT, "cuLaunchKernel");
#ifdef LINKED
    check_resolved("dlsym(RTLD_DEFAULT, cuLaunchKernel)", p, fake_lookup("cuLaunchKernel", 4000, 0), 1);
#else
    if (preload)
        CHECK(from_interposer(p), "dlsym(RTLD_DEFAULT, cuLaunchKernel): %p (%s)", p, origin(p));
    else
        CHECK(p == NULL, "dlsym(RTLD_DEFAULT, cuLaunchKernel) found %p with libcuda RTLD_LOCAL", p);
#endif
    if (p != NULL)
        call("RTLD_DEFAULT cuLaunchKernel", p, LAUNCH, "cuLaunchKernel");

    /* Lookups made inside libcuda keep libcuda as their caller. */
    p = fake_rtld_next("fake_calls");
    CHECK(p == NULL, "RTLD_NEXT from libcuda found fake_calls %p (%s): the caller was lost", p, origin(p));
    p = fake_rtld_default("fake_calls");
    CHECK(p == (void *)fake_calls, "RTLD_DEFAULT from libcuda: fake_calls %p, want %p", p, (void *)fake_calls);
}

/* ---- (d) direct calls ---------------------------------------------------------------------- */

static void test_linked(void)
{
#ifdef LINKED
    CHECK(cuCtxSynchronize() == CUDA_SUCCESS, "direct cuCtxSynchronize");
    expect("cuCtxSynchronize");
    CHECK(cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL) == CUDA_SUCCESS, "direct cuLaunchKernel");
    expect("cuLaunchKernel");
    CHECK(cuStreamSynchronize(NULL) == CUDA_SUCCESS, "direct cuStreamSynchronize");
    expect("cuStreamSynchronize");
    if (preload)
        CHECK(from_interposer((void *)cuStreamSynchronize), "cuStreamSynchronize binds to %s",
              origin((void *)cuStreamSynchronize));
#endif
}

/* ---- the table Java uses -------------------------------------------------------------------- */

static const char *const table_names[] = {
    "cuLaunchKernel", "cuLaunchKernel_ptsz", "cuLaunchKernelEx", "cuLaunchKernelEx_ptsz",
    "cuMemcpyHtoDAsync_v2", "cuMemcpyHtoDAsync_v2_ptsz", "cuMemcpyDtoHAsync_v2",
    "cuMemcpyDtoHAsync_v2_ptsz", "cuMemsetD8Async", "cuMemsetD8Async_ptsz", "cuEventRecord",
    "cuEventRecord_ptsz", "cuStreamWaitEvent", "cuStreamWaitEvent_ptsz", "cuStreamSynchronize",
    "cuStreamSynchronize_ptsz", "cuCtxSynchronize", "cuEventSynchronize", "cuLaunchHostFunc",
    "cuLaunchHostFunc_ptsz", "cuGraphLaunch", "cuGraphLaunch_ptsz", "cuCtxSynchronize_v2",
    "cuStreamDestroy_v2", "cuStreamBeginCapture_v2", "cuStreamBeginCapture_v2_ptsz",
};
#define NTABLE ((int)(sizeof table_names / sizeof *table_names))

static stream_fn wrapped_sync;
static int handler_calls;

static CUresult sync_handler(CUstream stream)
{
    handler_calls++;
    return wrapped_sync(stream); /* re-entry: must reach the driver, not this handler again */
}

static void test_table(void)
{
    int (*count)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "xsched_interpose_count");
    const char *(*name)(int) = (const char *(*)(int))dlsym(RTLD_DEFAULT, "xsched_interpose_name");
    void *(*real)(int) = (void *(*)(int))dlsym(RTLD_DEFAULT, "xsched_interpose_real");
    void (*install)(int, void *) = (void (*)(int, void *))dlsym(RTLD_DEFAULT, "xsched_interpose_install");
    CHECK(count && name && real && install, "the table API is not exported");
    if (!(count && name && real && install))
        return;
    CHECK(count() == NTABLE, "xsched_interpose_count() = %d, want %d", count(), NTABLE);
    int launch = -1, sync = -1, event_sync = -1;
    for (int i = 0; i < NTABLE && i < count(); i++) {
        CHECK(name(i) != NULL && strcmp(name(i), table_names[i]) == 0, "entry %d is %s, want %s", i,
              name(i) ? name(i) : "NULL", table_names[i]);
        if (strcmp(table_names[i], "cuLaunchKernel") == 0) launch = i;
        if (strcmp(table_names[i], "cuStreamSynchronize") == 0) sync = i;
        if (strcmp(table_names[i], "cuEventSynchronize") == 0) event_sync = i;
    }
    CHECK(name(-1) == NULL && name(count()) == NULL && real(count()) == NULL && real(-7) == NULL,
          "out-of-range entries are not NULL");
    install(count(), (void *)sync_handler); /* ignored */
    CHECK(real(launch) == fake_lookup("cuLaunchKernel", 4000, 0), "real(cuLaunchKernel) = %p (%s)",
          real(launch), origin(real(launch)));
    CHECK(real(event_sync) == NULL, "real(cuEventSynchronize) = %p, the fake has none", real(event_sync));
    stream_fn absent = (stream_fn)dlsym(RTLD_DEFAULT, "cuEventSynchronize");
    CHECK(absent != NULL && absent(NULL) == CUDA_ERROR_NOT_FOUND,
          "a wrapper without a driver function must return CUDA_ERROR_NOT_FOUND");
    install(event_sync, (void *)sync_handler); /* not called: nothing to forward to */
    CHECK(absent != NULL && absent(NULL) == CUDA_ERROR_NOT_FOUND && handler_calls == 0,
          "a handler was called for an entry without a driver function");
    install(event_sync, NULL);

    wrapped_sync = (stream_fn)dlsym(lib, "cuStreamSynchronize");
    install(sync, (void *)sync_handler);
    CHECK(wrapped_sync(NULL) == CUDA_SUCCESS && handler_calls == 1, "handler: %d calls", handler_calls);
    expect("cuStreamSynchronize");
    void (*pause)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "xsched_interpose_pause");
    CHECK(pause != NULL, "xsched_interpose_pause is not exported");
    if (pause != NULL) {
        pause(1); /* paused: straight to the driver, the handler stays installed */
        CHECK(wrapped_sync(NULL) == CUDA_SUCCESS && handler_calls == 1, "a paused handler was called");
        expect("cuStreamSynchronize");
        pause(0);
        CHECK(wrapped_sync(NULL) == CUDA_SUCCESS && handler_calls == 2, "the handler did not run again after the pause");
        expect("cuStreamSynchronize");
    }
    install(sync, NULL);
    CHECK(wrapped_sync(NULL) == CUDA_SUCCESS && handler_calls == (pause != NULL ? 2 : 1), "uninstalled handler still called");
    expect("cuStreamSynchronize");
}

/* ---- direct lanes ------------------------------------------------------------------------ */

static launch_fn wrapped_launch;
static atomic_int launch_handler_calls;

static CUresult launch_handler(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                               unsigned int by, unsigned int bz, unsigned int shared, CUstream stream,
                               void **params, void **extra)
{
    atomic_fetch_add(&launch_handler_calls, 1);
    return wrapped_launch(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra); /* reaches the driver */
}

static CUresult launch_on(launch_fn fn, CUstream stream)
{
    return fn(NULL, 1, 1, 1, 32, 1, 1, 0, stream, NULL, NULL);
}

#define LANE_THREADS 4
#define LANE_LAUNCHES 5000
#define LANE_CREDITS 2000
static CUstream shared_stream = (CUstream)0x5000;

static void *launch_many(void *unused)
{
    (void)unused;
    for (int i = 0; i < LANE_LAUNCHES; i++)
        CHECK(launch_on(wrapped_launch, shared_stream) == CUDA_SUCCESS, "a concurrent launch failed");
    return NULL;
}

static void test_lanes(void)
{
    int (*count)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "xsched_interpose_count");
    const char *(*name)(int) = (const char *(*)(int))dlsym(RTLD_DEFAULT, "xsched_interpose_name");
    void (*install)(int, void *) = (void (*)(int, void *))dlsym(RTLD_DEFAULT, "xsched_interpose_install");
    void (*mark)(int, int) = (void (*)(int, int))dlsym(RTLD_DEFAULT, "xsched_interpose_lane_entry");
    long long *(*lane_of)(unsigned long long) = (long long *(*)(unsigned long long))dlsym(RTLD_DEFAULT, "xsched_interpose_lane");
    void (*pause)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "xsched_interpose_pause");
    CHECK(mark && lane_of, "the lane API is not exported");
    if (!(count && name && install && mark && lane_of && pause))
        return;
    int launch = -1, launch_ptsz = -1;
    for (int i = 0; i < count(); i++) {
        if (strcmp(name(i), "cuLaunchKernel") == 0) launch = i;
        if (strcmp(name(i), "cuLaunchKernel_ptsz") == 0) launch_ptsz = i;
    }
    wrapped_launch = (launch_fn)dlsym(lib, "cuLaunchKernel");
    launch_fn wrapped_launch_ptsz = (launch_fn)dlsym(lib, "cuLaunchKernel_ptsz");
    CHECK(wrapped_launch && wrapped_launch_ptsz, "no launch wrappers");
    if (!(wrapped_launch && wrapped_launch_ptsz))
        return;
    install(launch, (void *)launch_handler);
    install(launch_ptsz, (void *)launch_handler);

    long long *mine = lane_of(0x1000), *legacy = lane_of(0);
    CHECK(mine != NULL && legacy != NULL && mine != legacy, "lanes: %p %p", (void *)mine, (void *)legacy);
    CHECK(lane_of(0x1) == legacy, "CU_STREAM_LEGACY has the legacy stream's lane");
    CHECK(lane_of(0x1000) == mine, "a stream's lane changed");
    CHECK(lane_of(0x2) == NULL, "CU_STREAM_PER_THREAD got a lane");
    if (mine == NULL || legacy == NULL)
        return;

    /* not marked: the handler, credits or not */
    atomic_store((_Atomic long long *)mine, 2);
    CHECK(launch_on(wrapped_launch, (CUstream)0x1000) == CUDA_SUCCESS && atomic_load(&launch_handler_calls) == 1
              && atomic_load((_Atomic long long *)mine) == 2, "an unmarked entry took a credit");
    expect("cuLaunchKernel");

    mark(launch, 1);
    mark(launch_ptsz, 1);
    for (int i = 0; i < 3; i++) {
        CHECK(launch_on(wrapped_launch, (CUstream)0x1000) == CUDA_SUCCESS, "a laned launch failed");
        expect("cuLaunchKernel");
    }
    CHECK(atomic_load(&launch_handler_calls) == 2, "with 2 credits, 3 launches: the handler got %d calls, want 2",
          atomic_load(&launch_handler_calls));
    CHECK(atomic_load((_Atomic long long *)mine) <= 0, "credits left: %lld", atomic_load((_Atomic long long *)mine));
    CHECK(atomic_load((_Atomic long long *)(mine + 1)) == 2, "the lane's made word: %lld, want the 2 launches made through it",
          atomic_load((_Atomic long long *)(mine + 1)));

    /* the legacy stream, by NULL and by CU_STREAM_LEGACY; a _ptsz entry's NULL is the thread's own stream */
    atomic_store((_Atomic long long *)legacy, 2);
    CHECK(launch_on(wrapped_launch, NULL) == CUDA_SUCCESS, "legacy launch");
    expect("cuLaunchKernel");
    CHECK(launch_on(wrapped_launch_ptsz, (CUstream)0x1) == CUDA_SUCCESS, "CU_STREAM_LEGACY launch");
    expect("cuLaunchKernel_ptsz");
    CHECK(atomic_load(&launch_handler_calls) == 2 && atomic_load((_Atomic long long *)legacy) == 0,
          "the legacy stream's launches did not take its credits");
    atomic_store((_Atomic long long *)legacy, 5);
    CHECK(launch_on(wrapped_launch_ptsz, NULL) == CUDA_SUCCESS && launch_on(wrapped_launch, (CUstream)0x2) == CUDA_SUCCESS,
          "per-thread launches");
    expect("cuLaunchKernel"); /* both through the handler, which forwards to cuLaunchKernel */
    expect("cuLaunchKernel");
    CHECK(atomic_load(&launch_handler_calls) == 4 && atomic_load((_Atomic long long *)legacy) == 5,
          "a per-thread default stream's launch took the legacy lane");

    /* a stream with no lane, and a paused interposer: no credit taken */
    CHECK(launch_on(wrapped_launch, (CUstream)0x7000) == CUDA_SUCCESS && atomic_load(&launch_handler_calls) == 5,
          "a stream without a lane did not reach the handler");
    expect("cuLaunchKernel");
    pause(1);
    CHECK(launch_on(wrapped_launch, NULL) == CUDA_SUCCESS && atomic_load((_Atomic long long *)legacy) == 5
              && atomic_load(&launch_handler_calls) == 5, "a paused interposer took a credit");
    expect("cuLaunchKernel");
    pause(0);

    /* several threads on one lane: exactly as many skip the handler as there were credits */
    long long *shared = lane_of((unsigned long long)(uintptr_t)shared_stream);
    atomic_store((_Atomic long long *)shared, LANE_CREDITS);
    int before = atomic_load(&launch_handler_calls);
    pthread_t threads[LANE_THREADS];
    for (int i = 0; i < LANE_THREADS; i++)
        pthread_create(&threads[i], NULL, launch_many, NULL);
    for (int i = 0; i < LANE_THREADS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < LANE_THREADS * LANE_LAUNCHES; i++)
        expect("cuLaunchKernel");
    CHECK(atomic_load(&launch_handler_calls) - before == LANE_THREADS * LANE_LAUNCHES - LANE_CREDITS,
          "%d threads: %d launches reached the handler, want %d", LANE_THREADS, atomic_load(&launch_handler_calls) - before,
          LANE_THREADS * LANE_LAUNCHES - LANE_CREDITS);
    CHECK(atomic_load((_Atomic long long *)(shared + 1)) == LANE_CREDITS, "%d threads: the made word is %lld, want %d",
          LANE_THREADS, atomic_load((_Atomic long long *)(shared + 1)), LANE_CREDITS);

    /* freeing: a freed lane gives no credit, its handle gets a lane again, and streams made and
     * destroyed four times over the table's size never fill it; lanes kept meanwhile stay theirs */
    void (*lane_free)(unsigned long long) = (void (*)(unsigned long long))dlsym(RTLD_DEFAULT, "xsched_interpose_lane_free");
    CHECK(lane_free != NULL, "xsched_interpose_lane_free is not exported");
    if (lane_free != NULL) {
        atomic_store((_Atomic long long *)mine, 3);
        lane_free(0x1000);
        before = atomic_load(&launch_handler_calls);
        CHECK(launch_on(wrapped_launch, (CUstream)0x1000) == CUDA_SUCCESS && atomic_load(&launch_handler_calls) == before + 1,
              "a freed lane's credits were taken");
        expect("cuLaunchKernel");
        long long *again = lane_of(0x1000);
        CHECK(again != NULL && atomic_load((_Atomic long long *)again) == 0 && atomic_load((_Atomic long long *)(again + 1)) == 2,
              "a freed stream's new lane: %p, no credits, its made word goes on from 2", (void *)again);
        enum { KEPT_LANES = 300 };
        long long *kept[KEPT_LANES];
        for (int i = 0; i < KEPT_LANES; i++) {
            kept[i] = lane_of(0x100000ull + 0x40ull * (unsigned)i);
            CHECK(kept[i] != NULL, "lane %d of %d kept ones", i, KEPT_LANES);
        }
        for (int i = 1; i < KEPT_LANES; i += 2)
            lane_free(0x100000ull + 0x40ull * (unsigned)i);
        for (unsigned j = 0; j < 4096; j++) {
            unsigned long long churn = 0x900000ull + 0x40ull * j;
            long long *l = lane_of(churn);
            CHECK(l != NULL, "stream %u of the churn got no lane: freed lanes were not reused", j);
            if (l == NULL)
                break;
            lane_free(churn);
        }
        for (int i = 0; i < KEPT_LANES; i += 2)
            CHECK(lane_of(0x100000ull + 0x40ull * (unsigned)i) == kept[i], "kept lane %d moved", i);
        atomic_store((_Atomic long long *)kept[0], 1);
        before = atomic_load(&launch_handler_calls);
        CHECK(launch_on(wrapped_launch, (CUstream)0x100000) == CUDA_SUCCESS && atomic_load(&launch_handler_calls) == before
                  && atomic_load((_Atomic long long *)kept[0]) == 0,
              "a kept lane among tombstones was not found by the wrapper");
        expect("cuLaunchKernel");
        for (int i = 0; i < KEPT_LANES; i += 2)
            lane_free(0x100000ull + 0x40ull * (unsigned)i);

        /* a burst of lanes lengthens the lookups; freed, it no longer does, and the lanes kept through
         * it stay findable (a reach computed too short would make their handles new lanes) */
        unsigned (*reach)(void) = (unsigned (*)(void))dlsym(RTLD_DEFAULT, "xsched_interpose_lane_reach");
        CHECK(reach != NULL, "xsched_interpose_lane_reach is not exported");
        if (reach != NULL) {
            enum { BURST = 900, STAY = 50 };
            static long long *burst[BURST];
            for (int i = 0; i < BURST; i++)
                burst[i] = lane_of(0x2000000ull + 0x10ull * (unsigned)i);
            unsigned peak = reach();
            CHECK(peak > 2, "a burst of %d lanes left the reach at %u", BURST, peak);
            for (int i = 0; i < BURST; i++)
                if (i % (BURST / STAY) != 0)
                    lane_free(0x2000000ull + 0x10ull * (unsigned)i);
            CHECK(reach() < peak, "the reach stayed at %u with %d of %d lanes freed", peak, BURST - STAY, BURST);
            for (int i = 0; i < BURST; i += BURST / STAY)
                CHECK(lane_of(0x2000000ull + 0x10ull * (unsigned)i) == burst[i], "lane %d kept through the burst moved", i);
            for (int i = 0; i < BURST; i += BURST / STAY)
                lane_free(0x2000000ull + 0x10ull * (unsigned)i);
        }
    }

    mark(launch, 0);
    mark(launch_ptsz, 0);
    install(launch, NULL);
    install(launch_ptsz, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "native") != 0 && strcmp(argv[1], "preload") != 0)) {
        fprintf(stderr, "usage: %s native|preload\n", argv[0]);
        return 2;
    }
    preload = strcmp(argv[1], "preload") == 0;
    lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "FAIL: dlopen(libcuda.so.1): %s\n", dlerror());
        return 1;
    }
    fake_calls = (int (*)(const char *))dlsym(lib, "fake_calls");
    fake_lookup = (void *(*)(const char *, int, cuuint64_t))dlsym(lib, "fake_lookup");
    fake_rtld_next = (void *(*)(const char *))dlsym(lib, "fake_rtld_next");
    fake_rtld_default = (void *(*)(const char *))dlsym(lib, "fake_rtld_default");
    if (!fake_calls || !fake_lookup || !fake_rtld_next || !fake_rtld_default) {
        fprintf(stderr, "FAIL: libcuda.so.1 is not the fake\n");
        return 1;
    }

    test_first_use();
    test_linked();
    test_get_proc_address();
    test_dlsym();
    if (preload) {
        test_table();
        test_lanes();
    }

    for (size_t i = 0; i < NCOUNTED; i++) {
        int got = fake_calls(counted[i]), want = atomic_load(&expected[i]);
        CHECK(got == want, "%s reached the driver %d times, want %d", counted[i], got, want);
    }
    int failed = atomic_load(&failures);
    printf("test_driver %s%s: %d checks, %d failed\n", argv[1],
#ifdef LINKED
           " (linked)",
#else
           "",
#endif
           atomic_load(&checks), failed);
    return failed == 0 ? 0 : 1;
}
