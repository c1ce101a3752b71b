// The two unmodified programs of the `xsched run` case study on one GPU:
//   xrun_load fg PERIOD_MS JOBS KERNELS KERNEL_US [WARMUP]   a latency-critical periodic job: every
//       PERIOD_MS a chain of KERNELS whole-GPU kernels of KERNEL_US each on the legacy default stream,
//       then a synchronize; prints the job latencies' p50/p99/mean after WARMUP (20) warm-up jobs
//       (with XRUN_LOAD_TRACE=FILE also each measured job: its start in ms from the first, its latency,
//       when its first and its last launch call returned and the GPU time from the first kernel's
//       start to the last one's end, in ms; block 0 of each kernel stands for the kernel, and the
//       stamps go to mapped host memory, so tracing adds no call to the job's pattern)
//   xrun_load bg SECONDS KERNEL_US                  a saturating throughput job: whole-GPU kernels of
//       KERNEL_US back to back on its own stream for SECONDS; prints kernels per second
//   xrun_load launch N SYNC_EVERY legacy|own        what a launch call costs the program: after 20000
//       untimed ones, N launches of an empty one-block kernel on the legacy default stream or on a
//       stream of its own, a synchronize every SYNC_EVERY; prints the mean time per launch with the
//       synchronizes, and the p50/p90/p99 of the launch calls timed one by one
// Build: nvcc -O2 -arch=sm_90 -o xrun_load xrun_load.cu
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <cuda_runtime.h>

#define CHECK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
    std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); std::exit(2); } } while (0)

__global__ void spin(unsigned long long ns, unsigned int *sink, unsigned long long *started, unsigned long long *ended) {
    unsigned long long start, now;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
    do { asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now)); } while (now - start < ns);
    if (threadIdx.x == 0 && now == 0) *sink = blockIdx.x; // never true; keeps the loop
    if (threadIdx.x == 0 && blockIdx.x == 0) { // the job's first kernel says when it began, its last when it ended
        if (started) *started = start;
        if (ended) *ended = now;
    }
}

using Clock = std::chrono::steady_clock;

static int whole_gpu_blocks() {
    int sms = 0; CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    return sms * 8; // 8 blocks of 256 threads fill an SM of the H200 with this kernel
}

static int fg(int period_ms, int jobs, int kernels, int kernel_us, int warmup) {
    unsigned int *sink; CHECK(cudaMalloc(&sink, 4));
    const bool tracing = std::getenv("XRUN_LOAD_TRACE") != nullptr;
    unsigned long long *host_stamps = nullptr, *stamps = nullptr; // written by the kernels, read after the job's synchronize
    if (tracing) {
        CHECK(cudaHostAlloc(&host_stamps, 16, cudaHostAllocMapped));
        CHECK(cudaHostGetDevicePointer(&stamps, host_stamps, 0));
    }
    int blocks = whole_gpu_blocks();
    std::vector<double> ms, at, first_call, last_call, gpu;
    std::vector<unsigned long long> gpu_from, gpu_to; // the job's first kernel's start, last kernel's end: the GPU's clock
    auto next = Clock::now();
    Clock::time_point first{};
    for (int j = 0; j < jobs + warmup; j++) {
        std::this_thread::sleep_until(next);
        next += std::chrono::milliseconds(period_ms);
        auto t0 = Clock::now();
        Clock::time_point called1 = t0, calledN = t0;
        for (int k = 0; k < kernels; k++) {
            spin<<<blocks, 256>>>(kernel_us * 1000ull, sink, tracing && k == 0 ? stamps : nullptr,
                                  tracing && k == kernels - 1 ? stamps + 1 : nullptr);
            if (k == 0) called1 = Clock::now();
        }
        calledN = Clock::now();
        CHECK(cudaStreamSynchronize(0));
        double took = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (tracing && j >= warmup) { // after the job's clock stopped
            volatile unsigned long long *h = host_stamps;
            first_call.push_back(std::chrono::duration<double, std::milli>(called1 - t0).count());
            last_call.push_back(std::chrono::duration<double, std::milli>(calledN - t0).count());
            unsigned long long from = h[0], to = h[1];
            gpu.push_back((to - from) / 1e6);
            gpu_from.push_back(from);
            gpu_to.push_back(to);
        }
        if (j == warmup) first = t0;
        if (j >= warmup) {
            ms.push_back(took);
            at.push_back(std::chrono::duration<double, std::milli>(t0 - first).count());
        }
        if (Clock::now() > next) next = Clock::now(); // a late job does not make the next ones bunch up
    }
    if (const char *trace = std::getenv("XRUN_LOAD_TRACE")) {
        if (FILE *f = std::fopen(trace, "w")) {
            for (size_t i = 0; i < ms.size(); i++)
                std::fprintf(f, "%.3f %.3f %.3f %.3f %.3f %llu %llu\n", at[i], ms[i], first_call[i], last_call[i], gpu[i],
                             gpu_from[i], gpu_to[i]);
            std::fclose(f);
        } else {
            std::fprintf(stderr, "xrun_load: cannot write the trace to %s: %s\n", trace, std::strerror(errno));
        }
    }
    std::sort(ms.begin(), ms.end());
    double mean = 0; for (double v : ms) mean += v; mean /= ms.size();
    std::printf("fg: jobs %zu p50 %.3f ms p99 %.3f ms mean %.3f ms max %.3f ms\n", ms.size(), ms[ms.size() / 2],
                ms[(size_t)(ms.size() * 0.99)], mean, ms.back());
    return 0;
}

// XRUN_LOAD_BGTRACE=FILE: each kernel's start and end on the GPU's clock, one kernel a line (the last
// BG_TRACED kernels at most), to line up with the foreground's trace
static const long long BG_TRACED = 1 << 18;

static int bg(double seconds, int kernel_us) {
    unsigned int *sink; CHECK(cudaMalloc(&sink, 4));
    cudaStream_t s; CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    const char *trace = std::getenv("XRUN_LOAD_BGTRACE");
    unsigned long long *host_stamps = nullptr, *stamps = nullptr;
    if (trace) {
        CHECK(cudaHostAlloc(&host_stamps, 16 * BG_TRACED, cudaHostAllocMapped));
        std::memset(host_stamps, 0, 16 * BG_TRACED);
        CHECK(cudaHostGetDevicePointer(&stamps, host_stamps, 0));
    }
    int blocks = whole_gpu_blocks();
    long long done = 0;
    auto t0 = Clock::now();
    auto end = t0 + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
        for (int k = 0; k < 64; k++) {
            unsigned long long *at = trace ? stamps + 2 * ((done + k) % BG_TRACED) : nullptr;
            spin<<<blocks, 256, 0, s>>>(kernel_us * 1000ull, sink, at, at ? at + 1 : nullptr);
        }
        CHECK(cudaStreamSynchronize(s));
        done += 64;
    }
    double took = std::chrono::duration<double>(Clock::now() - t0).count();
    if (trace) {
        if (FILE *f = std::fopen(trace, "w")) {
            for (long long i = done > BG_TRACED ? done - BG_TRACED : 0; i < done; i++)
                std::fprintf(f, "%llu %llu\n", host_stamps[2 * (i % BG_TRACED)], host_stamps[2 * (i % BG_TRACED) + 1]);
            std::fclose(f);
        } else {
            std::fprintf(stderr, "xrun_load: cannot write the trace to %s: %s\n", trace, std::strerror(errno));
        }
    }
    std::printf("bg: kernels %lld in %.2f s = %.1f per second\n", done, took, done / took);
    return 0;
}

__global__ void empty() {}

static int launch_cost(long n, long sync_every, bool legacy) {
    if (n < 100 || sync_every < 1) { std::fprintf(stderr, "xrun_load launch: N must be 100 or more, SYNC_EVERY 1 or more\n"); return 2; }
    cudaStream_t s = 0;
    if (!legacy) CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    auto round = [&](long count, std::vector<float> *calls) {
        for (long i = 0; i < count; i++) {
            auto t0 = Clock::now();
            empty<<<1, 32, 0, s>>>();
            if (calls) (*calls)[i] = std::chrono::duration<float, std::nano>(Clock::now() - t0).count();
            if (i % sync_every == sync_every - 1) CHECK(cudaStreamSynchronize(s));
        }
        CHECK(cudaStreamSynchronize(s));
    };
    round(20000, nullptr); // warm-up: under xsched run, the agent's code gets compiled
    CHECK(cudaGetLastError());
    std::vector<float> calls(n);
    auto t0 = Clock::now();
    round(n, &calls);
    double total = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    CHECK(cudaGetLastError());
    std::string tenths; // the mean call by tenth of the run: whether it still got faster
    for (int t = 0; t < 10; t++) {
        double sum = 0;
        for (long i = t * (n / 10); i < (t + 1) * (n / 10); i++) sum += calls[i];
        tenths += " " + std::to_string((long)(sum / (n / 10)));
    }
    std::sort(calls.begin(), calls.end());
    std::printf("launch: %s stream, %ld launches, a synchronize every %ld: %.0f ns each with the synchronizes; "
                "calls p50 %.0f ns p90 %.0f ns p99 %.0f ns; mean call by tenth:%s\n", legacy ? "legacy" : "own", n, sync_every,
                total / n, calls[n / 2], calls[(size_t)(n * 0.9)], calls[(size_t)(n * 0.99)], tenths.c_str());
    return 0;
}

int main(int argc, char **argv) {
    if ((argc == 6 || argc == 7) && std::strcmp(argv[1], "fg") == 0)
        return fg(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), argc == 7 ? atoi(argv[6]) : 20);
    if (argc == 4 && std::strcmp(argv[1], "bg") == 0) return bg(atof(argv[2]), atoi(argv[3]));
    if (argc == 5 && std::strcmp(argv[1], "launch") == 0 && (std::strcmp(argv[4], "legacy") == 0 || std::strcmp(argv[4], "own") == 0))
        return launch_cost(atol(argv[2]), atol(argv[3]), std::strcmp(argv[4], "legacy") == 0);
    std::fprintf(stderr, "usage: xrun_load fg PERIOD_MS JOBS KERNELS KERNEL_US [WARMUP] | bg SECONDS KERNEL_US | launch N SYNC_EVERY legacy|own\n");
    return 2;
}
