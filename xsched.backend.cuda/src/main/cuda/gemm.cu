// Single-precision GEMM for the stock set: C = A x B, row-major, A is M x K, B is K x N.
// A plain shared-memory tiled kernel (16 x 16 tiles, one output per thread): correct for any
// M, N, K, and a realistic GPU-bound step for tests and benchmarks, not a tuned BLAS.
#define TILE 16

extern "C" __global__ void sgemm(const float* __restrict__ A, const float* __restrict__ B,
                                 float* __restrict__ C, int M, int N, int K) {
    __shared__ float as[TILE][TILE];
    __shared__ float bs[TILE][TILE + 1];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TILE) {
        int ak = k0 + threadIdx.x;
        int bk = k0 + threadIdx.y;
        as[threadIdx.y][threadIdx.x] = (row < M && ak < K) ? A[(long long) row * K + ak] : 0.0f;
        bs[threadIdx.y][threadIdx.x] = (bk < K && col < N) ? B[(long long) bk * N + col] : 0.0f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TILE; k++) {
            acc += as[threadIdx.y][k] * bs[k][threadIdx.x];
        }
        __syncthreads();
    }
    if (row < M && col < N) {
        C[(long long) row * N + col] = acc;
    }
}
