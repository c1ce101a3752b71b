// Fixture for the PTX guardian tests: 1-D, 2-D and 3-D grids that read blockIdx in several places.
// Regenerate: nvcc -arch=sm_90 -ptx grids.cu -o grids.ptx

extern "C" __global__ void vector_add_1d(const float* a, const float* b, float* c, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}

extern "C" __global__ void transpose_2d(const float* in, float* out, int rows, int cols) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < cols && y < rows) out[x * rows + y] = in[y * cols + x];
}

extern "C" __global__ void stamp_3d(int* out) {
    int block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
    int t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    out[block * blockDim.x * blockDim.y * blockDim.z + t] = (blockIdx.x << 20) | (blockIdx.y << 10) | blockIdx.z;
}

extern "C" __global__ void many_uses(int* out, int n) {
    volatile int acc = blockIdx.x;
    for (int k = 0; k < n; ++k) {
        acc += blockIdx.x * k + blockIdx.y;
        out[blockIdx.x * n + k] = acc ^ blockIdx.x;
    }
    if (blockIdx.x == 0) out[0] = blockIdx.y + blockIdx.z;
}

extern "C" __global__ void no_block_index(float* data, float s) {
    data[threadIdx.x] *= s;
}
