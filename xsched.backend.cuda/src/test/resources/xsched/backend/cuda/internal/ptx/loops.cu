// Fixture for the PTX guardian tests: loops whose back-edges become Lv3 interrupt points.
// Regenerate: nvcc -arch=sm_90 -ptx loops.cu -o loops.ptx

extern "C" __global__ void grid_stride(const float* a, float* b, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long) gridDim.x * blockDim.x) {
        b[i] = 2.0f * a[i];
    }
}

// Per-thread trip counts differ, so the back-edge branch is divergent and predicated.
extern "C" __global__ void collatz(const unsigned* seeds, unsigned* steps, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    unsigned v = seeds[i], k = 0;
    while (v != 1 && k < 100000) {
        v = (v & 1) ? 3 * v + 1 : v / 2;
        ++k;
    }
    steps[i] = k;
}

// Shared memory and __syncthreads inside a loop: a block-wide tiled sum per block.
extern "C" __global__ void tiled_sum(const float* in, float* out, int tiles) {
    __shared__ float tile[256];
    float total = 0.0f;
    for (int t = 0; t < tiles; ++t) {
        tile[threadIdx.x] = in[(blockIdx.x * tiles + t) * blockDim.x + threadIdx.x];
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) tile[threadIdx.x] += tile[threadIdx.x + s];
            __syncthreads();
        }
        if (threadIdx.x == 0) total += tile[0];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = total;
}

// Warp shuffles and an explicit-count named barrier: Lv3 must fall back to Lv2 for the latter.
extern "C" __global__ void named_barrier(float* data, int rounds) {
    for (int r = 0; r < rounds; ++r) {
        data[blockIdx.x * blockDim.x + threadIdx.x] += 1.0f;
        asm volatile("bar.sync 1, 64;");
    }
}
