// Fixture for the PTX guardian tests: a non-inlined device function that reads blockIdx,
// and an entry that calls only a function that does not.
// Regenerate: nvcc -arch=sm_90 -ptx calls.cu -o calls.ptx

__device__ __noinline__ int block_base(int width) {
    return blockIdx.x * width;
}

__device__ __noinline__ float twice(float v) {
    return 2.0f * v;
}

extern "C" __global__ void uses_block_base(int* out, int width) {
    out[block_base(width) + threadIdx.x] = threadIdx.x;
}

extern "C" __global__ void uses_twice(float* data) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    data[i] = twice(data[i]);
}
