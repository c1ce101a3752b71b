// Kernels whose duration is set by an argument, for preemption tests and benchmarks.
// They spin on %globaltimer (nanoseconds, shared by all SMs), so a kernel lasts about `ns`
// whatever the clock speed; every block of the grid spins for that long.

__device__ __forceinline__ unsigned long long global_ns() {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

// Every thread of every block spins for ns nanoseconds. A grid of 2 blocks of 1024 threads per
// SM occupies all of an SM's thread slots, so it saturates the GPU for ns.
extern "C" __global__ void spin(unsigned long long ns) {
    unsigned long long start = global_ns();
    while (global_ns() - start < ns) {
    }
}

// Spins for ns, then appends value to log: log[atomicAdd(cursor, 1)] = value. Run with one
// block; thread 0 does the append. The log shows which launches ran, how often, in what order.
extern "C" __global__ void mark(unsigned int* log, unsigned int* cursor, unsigned int value,
                                unsigned long long ns) {
    unsigned long long start = global_ns();
    while (global_ns() - start < ns) {
    }
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        unsigned int pos = atomicAdd(cursor, 1u);
        log[pos] = value;
    }
}
