// Correctness under `xsched run`: CUDA runtime features whose semantics the interposer must keep.
// Prints one line per case with a checksum and "ok"/"WRONG" against values computed on the CPU;
// the same program run natively and under xsched run must print identical lines.
// Build: nvcc -O2 -arch=sm_90 -o xrun_check xrun_check.cu   (static cudart: resolves the driver
// through cuGetProcAddress, the path PyTorch's runtime takes too)
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <thread>
#include <vector>
#include <cuda_runtime.h>

#define CHECK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
    std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); std::exit(2); } } while (0)

static const int N = 1 << 20;
static int failures = 0;

__global__ void affine(uint32_t *x, uint32_t a, uint32_t b, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = x[i] * a + b;
}
__global__ void iota(uint32_t *x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = (uint32_t)i;
}
__global__ void add_into(uint32_t *y, const uint32_t *x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] += x[i];
}
__global__ void spin(uint64_t ns) {
    uint64_t start; asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
    uint64_t now = start;
    while (now - start < ns) asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
}

static uint64_t checksum(const std::vector<uint32_t> &v) {
    uint64_t h = 1469598103934665603ull;
    for (uint32_t x : v) { h ^= x; h *= 1099511628211ull; }
    return h;
}
static void report(const char *name, const std::vector<uint32_t> &got, const std::vector<uint32_t> &want) {
    bool ok = got == want;
    if (!ok) failures++;
    std::printf("%-28s %016llx %s\n", name, (unsigned long long)checksum(got), ok ? "ok" : "WRONG");
}
static dim3 grid(int n) { return dim3((n + 255) / 256); }

// Two streams joined by an event: A writes iota and applies three affine steps; B waits and adds.
static void streams_and_events() {
    uint32_t *x, *y; CHECK(cudaMalloc(&x, N * 4)); CHECK(cudaMalloc(&y, N * 4));
    cudaStream_t a, b; CHECK(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking)); CHECK(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking));
    cudaEvent_t done; CHECK(cudaEventCreateWithFlags(&done, cudaEventDisableTiming));
    CHECK(cudaMemsetAsync(y, 0, N * 4, b));
    for (int round = 0; round < 20; round++) {
        iota<<<grid(N), 256, 0, a>>>(x, N);
        spin<<<132, 32, 0, a>>>(20000);
        for (int k = 1; k <= 3; k++) affine<<<grid(N), 256, 0, a>>>(x, 2 * k + 1, k, N);
        CHECK(cudaEventRecord(done, a));
        CHECK(cudaStreamWaitEvent(b, done, 0));
        add_into<<<grid(N), 256, 0, b>>>(y, x, N);
        CHECK(cudaStreamWaitEvent(a, done, 0)); // (no-op for order; a's next iota must follow b's read:)
        cudaEvent_t read; CHECK(cudaEventCreateWithFlags(&read, cudaEventDisableTiming));
        CHECK(cudaEventRecord(read, b)); CHECK(cudaStreamWaitEvent(a, read, 0)); CHECK(cudaEventDestroy(read));
    }
    std::vector<uint32_t> got(N), want(N);
    CHECK(cudaMemcpyAsync(got.data(), y, N * 4, cudaMemcpyDeviceToHost, b));
    CHECK(cudaStreamSynchronize(b));
    for (int i = 0; i < N; i++) { uint32_t v = i; for (int k = 1; k <= 3; k++) v = v * (2 * k + 1) + k; want[i] = v * 20; }
    report("streams+events", got, want);
    CHECK(cudaEventDestroy(done)); CHECK(cudaStreamDestroy(a)); CHECK(cudaStreamDestroy(b)); CHECK(cudaFree(x)); CHECK(cudaFree(y));
}

// The legacy default stream orders itself with blocking streams, without any event.
static void legacy_default_stream() {
    uint32_t *x; CHECK(cudaMalloc(&x, N * 4));
    cudaStream_t blocking; CHECK(cudaStreamCreate(&blocking));
    for (int round = 0; round < 10; round++) {
        iota<<<grid(N), 256>>>(x, N);                 // legacy stream
        spin<<<132, 32>>>(50000);
        affine<<<grid(N), 256, 0, blocking>>>(x, 3, 1, N); // waits for the legacy stream's work
        affine<<<grid(N), 256>>>(x, 5, 2, N);         // and the legacy stream waits for it
    }
    std::vector<uint32_t> got(N), want(N);
    CHECK(cudaMemcpy(got.data(), x, N * 4, cudaMemcpyDeviceToHost));
    for (int i = 0; i < N; i++) want[i] = ((uint32_t)i * 3 + 1) * 5 + 2;
    report("legacy default stream", got, want);
    CHECK(cudaStreamDestroy(blocking)); CHECK(cudaFree(x));
}

// A graph captured from a stream, replayed 50 times.
static void graph_capture_and_replay() {
    uint32_t *x; CHECK(cudaMalloc(&x, N * 4));
    cudaStream_t s; CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    iota<<<grid(N), 256, 0, s>>>(x, N); // the stream is known to xsched before the capture
    cudaGraph_t g; cudaGraphExec_t exec;
    CHECK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    affine<<<grid(N), 256, 0, s>>>(x, 3, 1, N);
    affine<<<grid(N), 256, 0, s>>>(x, 7, 5, N);
    CHECK(cudaStreamEndCapture(s, &g));
    CHECK(cudaGraphInstantiate(&exec, g, 0));
    for (int r = 0; r < 50; r++) CHECK(cudaGraphLaunch(exec, s));
    std::vector<uint32_t> got(N), want(N);
    CHECK(cudaMemcpyAsync(got.data(), x, N * 4, cudaMemcpyDeviceToHost, s));
    CHECK(cudaStreamSynchronize(s));
    for (int i = 0; i < N; i++) { uint32_t v = i; for (int r = 0; r < 50; r++) v = (v * 3 + 1) * 7 + 5; want[i] = v; }
    report("graph capture+replay", got, want);
    CHECK(cudaGraphExecDestroy(exec)); CHECK(cudaGraphDestroy(g)); CHECK(cudaStreamDestroy(s)); CHECK(cudaFree(x));
}

// Host functions run in stream order, between kernels.
static void host_callbacks() {
    static std::vector<uint32_t> seen;
    seen.clear();
    uint32_t *x, *h; CHECK(cudaMalloc(&x, 4)); CHECK(cudaMallocHost(&h, 4));
    cudaStream_t s; CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    CHECK(cudaMemsetAsync(x, 0, 4, s));
    for (uint32_t k = 1; k <= 30; k++) {
        affine<<<1, 1, 0, s>>>(x, 1, k, 1);
        CHECK(cudaMemcpyAsync(h, x, 4, cudaMemcpyDeviceToHost, s));
        CHECK(cudaLaunchHostFunc(s, [](void *p) { seen.push_back(*(uint32_t *)p); }, h));
    }
    CHECK(cudaStreamSynchronize(s));
    std::vector<uint32_t> want;
    for (uint32_t k = 1, sum = 0; k <= 30; k++) { sum += k; want.push_back(sum); }
    report("host callbacks", seen, want);
    CHECK(cudaStreamDestroy(s)); CHECK(cudaFree(x)); CHECK(cudaFreeHost(h));
}

// Stream-ordered allocation: memory allocated, used and freed on the stream, many times.
static void async_alloc() {
    cudaStream_t s; CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    uint32_t *acc; CHECK(cudaMallocAsync(&acc, N * 4, s)); CHECK(cudaMemsetAsync(acc, 0, N * 4, s));
    for (int r = 0; r < 40; r++) {
        uint32_t *t; CHECK(cudaMallocAsync(&t, N * 4, s));
        iota<<<grid(N), 256, 0, s>>>(t, N);
        affine<<<grid(N), 256, 0, s>>>(t, 1, r, N);
        add_into<<<grid(N), 256, 0, s>>>(acc, t, N);
        CHECK(cudaFreeAsync(t, s));
    }
    std::vector<uint32_t> got(N), want(N);
    CHECK(cudaMemcpyAsync(got.data(), acc, N * 4, cudaMemcpyDeviceToHost, s));
    CHECK(cudaStreamSynchronize(s));
    for (int i = 0; i < N; i++) want[i] = 40u * i + 780u;
    report("stream-ordered alloc", got, want);
    CHECK(cudaFreeAsync(acc, s)); CHECK(cudaStreamSynchronize(s)); CHECK(cudaStreamDestroy(s));
}

// Many streams created and destroyed (handles reused).
static void stream_churn() {
    uint32_t *x; CHECK(cudaMalloc(&x, N * 4)); CHECK(cudaMemset(x, 0, N * 4));
    for (int r = 0; r < 64; r++) {
        cudaStream_t s; CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
        affine<<<grid(N), 256, 0, s>>>(x, 1, 1, N);
        CHECK(cudaStreamSynchronize(s));
        CHECK(cudaStreamDestroy(s));
    }
    std::vector<uint32_t> got(N), want(N, 64);
    CHECK(cudaMemcpy(got.data(), x, N * 4, cudaMemcpyDeviceToHost));
    report("stream churn", got, want);
    CHECK(cudaFree(x));
}

// Per-thread default streams: two threads, each with its own buffer, launch on cudaStreamPerThread
// (each thread's own stream; under xsched run each gets a queue of its own, launched on that thread).
static void per_thread_default_streams() {
    const int threads = 2;
    std::vector<uint32_t *> bufs(threads);
    for (auto &b : bufs) CHECK(cudaMalloc(&b, N * 4));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; t++) {
        workers.emplace_back([t, &bufs] {
            uint32_t *x = bufs[t];
            iota<<<grid(N), 256, 0, cudaStreamPerThread>>>(x, N);
            for (int r = 0; r < 50; r++) {
                if (r % 10 == 0) spin<<<132, 32, 0, cudaStreamPerThread>>>(20000);
                affine<<<grid(N), 256, 0, cudaStreamPerThread>>>(x, 1, (uint32_t)(t + 1), N);
            }
            CHECK(cudaStreamSynchronize(cudaStreamPerThread));
        });
    }
    for (auto &w : workers) w.join();
    for (int t = 0; t < threads; t++) {
        std::vector<uint32_t> got(N), want(N);
        CHECK(cudaMemcpy(got.data(), bufs[t], N * 4, cudaMemcpyDeviceToHost));
        for (int i = 0; i < N; i++) want[i] = (uint32_t)i + 50u * (uint32_t)(t + 1);
        report(t == 0 ? "per-thread stream, thread 0" : "per-thread stream, thread 1", got, want);
        CHECK(cudaFree(bufs[t]));
    }
}

int main() {
    streams_and_events();
    legacy_default_stream();
    graph_capture_and_replay();
    host_callbacks();
    async_alloc();
    stream_churn();
    per_thread_default_streams();
    CHECK(cudaDeviceSynchronize());
    std::printf("%s\n", failures == 0 ? "ALL OK" : "FAILURES");
    return failures == 0 ? 0 : 1;
}
