/*
 * Compiled, never run: every entry of entries.def must be declared in the CUDA toolkit's cuda.h
 * with exactly the parameter list the wrapper uses. Compile once plainly (legacy entries) and
 * once with -DCUDA_API_PER_THREAD_DEFAULT_STREAM (the _ptsz entries, which cuda.h declares only
 * then).
 */
#include <cuda.h>

#ifdef CUDA_API_PER_THREAD_DEFAULT_STREAM
#define XS_CHECK_0(name, params)
#define XS_CHECK_1(name, params) XS_CHECK(name, params)
#else
#define XS_CHECK_0(name, params) XS_CHECK(name, params)
#define XS_CHECK_1(name, params)
#endif
#define XS_CHECK(name, params)                                                           \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), CUresult(*) params),  \
                   #name " is not declared so in cuda.h");

#define XSCHED_ENTRY(name, base, since, until, ptsz, params, args) XS_CHECK_##ptsz(name, params)
#include "entries.def"

_Static_assert(CUDA_VERSION >= XSCHED_CUDA_VERSION_CHECKED, "cuda.h is older than entries.def");
_Static_assert(CUDA_ERROR_NOT_FOUND == 500, "CUDA_ERROR_NOT_FOUND");
_Static_assert(CU_GET_PROC_ADDRESS_PER_THREAD_DEFAULT_STREAM == 2, "per-thread flag");
_Static_assert(CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND == 1, "symbol status");
_Static_assert(sizeof(CUdeviceptr) == sizeof(unsigned long long), "CUdeviceptr");
#include <stddef.h>
/* xsched_cuda.h's XS_LAUNCH_CONFIG_STREAM and interpose.c's stream handles */
_Static_assert(offsetof(CUlaunchConfig, hStream) == 32, "CUlaunchConfig.hStream");
_Static_assert((unsigned long long)(uintptr_t)CU_STREAM_LEGACY == 0x1, "CU_STREAM_LEGACY");
_Static_assert((unsigned long long)(uintptr_t)CU_STREAM_PER_THREAD == 0x2, "CU_STREAM_PER_THREAD");
