/*
 * A stand-in libcuda.so.1 for testing libxsched-interpose without a GPU: a few driver entry
 * points that only count their calls (fake_calls), and a cuGetProcAddress(_v2) that resolves
 * base names by version and per-thread flag the way cuda.h documents. Link it -Bsymbolic, as
 * the real driver behaves: its own references to its functions must not bind to the wrappers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <string.h>

#include "xsched_cuda.h"

#define FAKE_EXPORT __attribute__((visibility("default")))

enum {
    F_LAUNCH, F_LAUNCH_PTSZ, F_SYNC, F_SYNC_PTSZ, F_CTX_SYNC, F_CTX_SYNC_V2, F_HTOD_V1, F_HTOD,
    F_HTOD_PTSZ, F_EVENT_RECORD, F_EVENT_RECORD_FUTURE, F_DRIVER_VERSION, F_COUNT
};
static const char *const fake_names[F_COUNT] = {
    "cuLaunchKernel", "cuLaunchKernel_ptsz", "cuStreamSynchronize", "cuStreamSynchronize_ptsz",
    "cuCtxSynchronize", "cuCtxSynchronize_v2", "cuMemcpyHtoDAsync", "cuMemcpyHtoDAsync_v2",
    "cuMemcpyHtoDAsync_v2_ptsz", "cuEventRecord", "cuEventRecord_future", "cuDriverGetVersion",
};
static atomic_int fake_counts[F_COUNT];

FAKE_EXPORT int fake_calls(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(name, fake_names[i]) == 0)
            return atomic_load(&fake_counts[i]);
    return -1;
}

static CUresult count(int f)
{
    atomic_fetch_add(&fake_counts[f], 1);
    return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz,
                                    unsigned int bx, unsigned int by, unsigned int bz,
                                    unsigned int shared, CUstream s, void **params, void **extra)
{
    (void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)s;
    (void)params, (void)extra;
    return count(F_LAUNCH);
}

FAKE_EXPORT CUresult cuLaunchKernel_ptsz(CUfunction f, unsigned int gx, unsigned int gy,
                                         unsigned int gz, unsigned int bx, unsigned int by,
                                         unsigned int bz, unsigned int shared, CUstream s,
                                         void **params, void **extra)
{
    (void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)s;
    (void)params, (void)extra;
    return count(F_LAUNCH_PTSZ);
}

FAKE_EXPORT CUresult cuStreamSynchronize(CUstream s)
{
    (void)s;
    return count(F_SYNC);
}

FAKE_EXPORT CUresult cuStreamSynchronize_ptsz(CUstream s)
{
    (void)s;
    return count(F_SYNC_PTSZ);
}

FAKE_EXPORT CUresult cuCtxSynchronize(void)
{
    return count(F_CTX_SYNC);
}

FAKE_EXPORT CUresult cuCtxSynchronize_v2(CUcontext ctx)
{
    (void)ctx;
    return count(F_CTX_SYNC_V2);
}

/* The CUDA 2.0 variant (32-bit sizes), which no wrapper may stand in for. */
FAKE_EXPORT CUresult cuMemcpyHtoDAsync(unsigned int dst, const void *src, unsigned int n, CUstream s)
{
    (void)dst, (void)src, (void)n, (void)s;
    return count(F_HTOD_V1);
}

FAKE_EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t n, CUstream s)
{
    (void)dst, (void)src, (void)n, (void)s;
    return count(F_HTOD);
}

FAKE_EXPORT CUresult cuMemcpyHtoDAsync_v2_ptsz(CUdeviceptr dst, const void *src, size_t n, CUstream s)
{
    (void)dst, (void)src, (void)n, (void)s;
    return count(F_HTOD_PTSZ);
}

FAKE_EXPORT CUresult cuEventRecord(CUevent e, CUstream s)
{
    (void)e, (void)s;
    return count(F_EVENT_RECORD);
}

/* What a driver newer than entries.def might return for cuEventRecord: not exported. */
static CUresult fake_event_record_future(CUevent e, CUstream s, unsigned int flags)
{
    (void)e, (void)s, (void)flags;
    return count(F_EVENT_RECORD_FUTURE);
}

FAKE_EXPORT CUresult cuDriverGetVersion(int *version)
{
    *version = 13000;
    return count(F_DRIVER_VERSION);
}

FAKE_EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int version, cuuint64_t flags);
FAKE_EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int version,
                                         cuuint64_t flags, CUdriverProcAddressQueryResult *status);

static const struct fake_proc {
    const char *base;
    int since;
    int ptsz;
    void *fn;
} fake_procs[] = {
    {"cuLaunchKernel", 4000, 0, (void *)cuLaunchKernel},
    {"cuLaunchKernel", 7000, 1, (void *)cuLaunchKernel_ptsz},
    {"cuStreamSynchronize", 2000, 0, (void *)cuStreamSynchronize},
    {"cuStreamSynchronize", 7000, 1, (void *)cuStreamSynchronize_ptsz},
    {"cuCtxSynchronize", 2000, 0, (void *)cuCtxSynchronize},
    {"cuCtxSynchronize", 13000, 0, (void *)cuCtxSynchronize_v2},
    {"cuMemcpyHtoDAsync", 2000, 0, (void *)cuMemcpyHtoDAsync},
    {"cuMemcpyHtoDAsync", 3020, 0, (void *)cuMemcpyHtoDAsync_v2},
    {"cuMemcpyHtoDAsync", 7000, 1, (void *)cuMemcpyHtoDAsync_v2_ptsz},
    {"cuEventRecord", 2000, 0, (void *)cuEventRecord},
    {"cuEventRecord", 13050, 0, (void *)fake_event_record_future},
    {"cuDriverGetVersion", 2020, 0, (void *)cuDriverGetVersion},
    {"cuGetProcAddress", 11030, 0, (void *)cuGetProcAddress},
    {"cuGetProcAddress", 12000, 0, (void *)cuGetProcAddress_v2},
};

/* The newest variant with since <= version: per-thread if asked for and present, else legacy. */
FAKE_EXPORT void *fake_lookup(const char *symbol, int version, cuuint64_t flags)
{
    int per_thread = (flags & CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM) != 0;
    for (int ptsz = per_thread; ptsz >= 0; ptsz--) {
        const struct fake_proc *best = NULL;
        for (size_t i = 0; i < sizeof fake_procs / sizeof *fake_procs; i++) {
            const struct fake_proc *p = &fake_procs[i];
            if (p->ptsz == ptsz && p->since <= version && strcmp(p->base, symbol) == 0
                && (best == NULL || p->since > best->since))
                best = p;
        }
        if (best != NULL)
            return best->fn;
    }
    return NULL;
}

FAKE_EXPORT CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int version,
                                         cuuint64_t flags, CUdriverProcAddressQueryResult *status)
{
    *pfn = fake_lookup(symbol, version, flags);
    if (status != NULL)
        *status = *pfn != NULL ? CU_GET_PROC_ADDRESS_SUCCESS : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
    return *pfn != NULL ? CUDA_SUCCESS : CUDA_ERROR_NOT_FOUND;
}

FAKE_EXPORT CUresult cuGetProcAddress(const char *symbol, void **pfn, int version, cuuint64_t flags)
{
    return cuGetProcAddress_v2(symbol, pfn, version, flags, NULL);
}

/* dlsym(RTLD_NEXT / RTLD_DEFAULT, name) made from inside this library: `volatile` rules out a
 * sibling call, which would make this library's caller the caller glibc sees. */
FAKE_EXPORT void *fake_rtld_next(const char *name)
{
    void *volatile found = dlsym(RTLD_NEXT, name);
    return found;
}

FAKE_EXPORT void *fake_rtld_default(const char *name)
{
    void *volatile found = dlsym(RTLD_DEFAULT, name);
    return found;
}
