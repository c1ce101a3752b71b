package xsched.backend.cuda.bench;

import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.StockKernels;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/**
 * Level 1 preemption latency: a queue kept busy with kernels of fixed length is suspended; the
 * latency is the time until its in-flight commands have all left the GPU (the queue's in-flight
 * count, which drops only when a sync point is reached, reads 0). Measured per threshold, with
 * batch = threshold / 2 (at least 1). The paper's expectation is about threshold × kernel time.
 *
 * <p>The queue lives in an embedded runtime with manual scheduling (no policy touches it), and its
 * in-flight count is read from the runtime's snapshot; building one costs microseconds, against
 * latencies of half a millisecond and more.
 */
final class PreemptionLatencyBench {
    record Result(int threshold, int batch, double meanMs, double maxMs, double expectedMs) {
    }

    private final CudaGpu gpu;
    private final Backend backend;
    private final StockKernels kernels;

    PreemptionLatencyBench(CudaGpu gpu, Backend backend, StockKernels kernels) {
        this.gpu = gpu;
        this.backend = backend;
        this.kernels = kernels;
    }

    Result run(int threshold, long kernelNanos, int trials) throws InterruptedException {
        int batch = Math.max(1, threshold / 2);
        EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
        XQueue q = xsched.createQueue(gpu.id(), QueueOptions.defaults()
                .withName("lat" + threshold).withLevel(PreemptLevel.LAUNCH).withLaunch(new LaunchConfig(threshold, batch)));
        try {
            long fill = Math.max(3_000_000L, 2L * threshold * kernelNanos);
            int commands = (int) ((trials * (fill + (long) threshold * kernelNanos)) / kernelNanos) + 64;
            for (int i = 0; i < commands; i++) {
                q.submit(kernels.spin(kernelNanos, 1, 32));
            }
            double[] latency = new double[trials];
            for (int t = 0; t < trials; t++) {
                Stats.sleepNanos(fill);
                long t0 = System.nanoTime();
                q.suspend();
                while (inFlight(xsched, q) > 0) {
                    Thread.onSpinWait();
                }
                latency[t] = (System.nanoTime() - t0) / 1e6;
                q.resume();
            }
            q.suspend();
            q.resume(true);
            q.awaitAll();
            return new Result(threshold, batch, Stats.mean(latency), Stats.max(latency), threshold * kernelNanos / 1e6);
        } finally {
            xsched.close();
        }
    }

    private static int inFlight(EmbeddedXsched xsched, XQueue q) {
        return xsched.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().inFlight;
    }
}
