// Element-wise kernels of the stock set: vector add and the bias + ReLU step of an MLP layer.
// Compiled to PTX by ../../../regen-ptx.sh; the committed .ptx is what the backend loads.

extern "C" __global__ void vector_add(const float* __restrict__ a, const float* __restrict__ b,
                                      float* __restrict__ c, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        c[i] = a[i] + b[i];
    }
}

// y[r][c] = max(y[r][c] + bias[c], 0) for a rows x cols row-major matrix.
extern "C" __global__ void bias_relu(float* __restrict__ y, const float* __restrict__ bias, int rows, int cols) {
    long long total = (long long) rows * cols;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total;
         i += (long long) gridDim.x * blockDim.x) {
        float v = y[i] + bias[i % cols];
        y[i] = v > 0.0f ? v : 0.0f;
    }
}
