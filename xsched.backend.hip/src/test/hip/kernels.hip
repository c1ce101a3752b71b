// Test kernels of the HIP backend, compiled for several GPU architectures by regenerate.sh into
// src/test/resources/xsched/backend/hip/kernels/kernels-<arch>.co (committed, so tests need no compiler).
// Built without HIP headers or device libraries (-nogpuinc -nogpulib): the index helpers use clang builtins.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
typedef unsigned int u32;

static __device__ inline u32 thread_x() { return __builtin_amdgcn_workitem_id_x(); }
static __device__ inline u32 block_x() { return __builtin_amdgcn_workgroup_id_x(); }
// hsa_kernel_dispatch_packet_t.workgroup_size_x (uint16 at byte 4)
static __device__ inline u32 block_dim_x() { return ((const unsigned short*) __builtin_amdgcn_dispatch_ptr())[2]; }
static __device__ inline u32 global_x() { return block_x() * block_dim_x() + thread_x(); }

// The conformance kit's mark: counts[i] += 1; order[i] = ++clock.
extern "C" __global__ void mark(int* counts, int* order, int* clock, int i) {
    __atomic_fetch_add(&counts[i], 1, __ATOMIC_RELAXED);
    order[i] = __atomic_fetch_add(clock, 1, __ATOMIC_RELAXED) + 1;
}

extern "C" __global__ void vadd(const float* a, const float* b, float* c, int n) {
    u32 i = global_x();
    if (i < (u32) n) c[i] = a[i] + b[i];
}

// Parameters of four sizes: 8-byte pointer, 8-byte double, 8-byte long, 1-byte char.
extern "C" __global__ void scale(double* x, double f, long n, char tag) {
    long i = (long) global_x();
    if (i < n) x[i] = x[i] * f + (double) tag;
}

// Launch bounds: at most 64 threads per block.
extern "C" __global__ __attribute__((amdgpu_flat_work_group_size(1, 64))) void small(int* x) {
    x[thread_x()] = 1;
}
