// The backend conformance kit's marks: mark(i) adds one to counts[i] and stamps order[i] with the next clock value.
extern "C" __global__ void mark(unsigned int* counts, unsigned int* order, unsigned int* clock, int index) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        atomicAdd(&counts[index], 1u);
        order[index] = atomicAdd(clock, 1u) + 1u;
    }
}

// A mark that first waits until *hold is nonzero: a kernel that runs until the test lets it go.
extern "C" __global__ void held_mark(unsigned int* counts, unsigned int* order, unsigned int* clock, int index,
                                     volatile unsigned int* hold) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        while (*hold == 0) {
        }
        atomicAdd(&counts[index], 1u);
        order[index] = atomicAdd(clock, 1u) + 1u;
    }
}

// Every block spins for `nanos` on the global timer, then adds one to counts[its block index]: a
// kernel of many blocks, which a stop of the guardian cuts short between blocks (GPU tests only).
extern "C" __global__ void count_blocks(unsigned int* counts, unsigned long long nanos) {
    if (threadIdx.x == 0) {
        unsigned long long start;
        unsigned long long now;
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
        do {
            asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
        } while (now - start < nanos);
        atomicAdd(&counts[blockIdx.x + blockIdx.y * gridDim.x], 1u);
    }
}
