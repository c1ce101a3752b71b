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
