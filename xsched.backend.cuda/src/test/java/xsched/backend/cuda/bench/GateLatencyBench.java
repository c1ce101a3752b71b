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
 * Preemption latency at level 1 and level 2 side by side: a queue kept busy with kernels of one
 * length (its window full, default threshold 16 / batch 8) is suspended; the latency runs from
 * {@code suspend()} until nothing of the queue is on the GPU. At level 1 that is when its in-flight
 * count reads 0 (every launched command completed); at level 2 {@code suspend()} itself returns only
 * then (the gate is closed, the batch that passed it has ended, the rest is held), so its duration
 * is the latency. Each level runs in its own embedded runtime with manual scheduling.
 */
final class GateLatencyBench {
    record Result(String level, String kernels, int trials, double p50Ms, double p99Ms, double maxMs) {
    }

    private final CudaGpu gpu;
    private final StockKernels kernels;

    GateLatencyBench(CudaGpu gpu, StockKernels kernels) {
        this.gpu = gpu;
        this.kernels = kernels;
    }

    Result run(Backend backend, PreemptLevel level, long kernelNanos, int trials, LaunchConfig window) throws InterruptedException {
        EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
        XQueue q = xsched.createQueue(gpu.id(), QueueOptions.defaults().withName("lat-lv" + level.number()).withLevel(level)
                .withLaunch(window));
        try {
            if (q.level() != level) {
                throw new IllegalStateException("the queue runs at " + q.level() + ", not " + level);
            }
            long fill = 2_000_000L;
            double[] latency = new double[trials];
            for (int t = 0; t < trials; t++) {
                long keep = Math.max(4L * window.threshold(), (fill + 4L * window.threshold() * kernelNanos) / kernelNanos);
                while (q.submitted() - q.finished() < keep) {
                    q.submit(kernels.spin(kernelNanos, 1, 32));
                }
                Stats.sleepNanos(fill);
                long t0 = System.nanoTime();
                q.suspend();
                if (level == PreemptLevel.LAUNCH) {
                    while (inFlight(xsched, q) > 0) {
                        Thread.onSpinWait();
                    }
                }
                latency[t] = (System.nanoTime() - t0) / 1e6;
                q.resume();
            }
            q.resume(true);
            q.awaitAll();
            String label = kernelNanos >= 100_000 ? kernelNanos / 1e6 + " ms kernels" : kernelNanos / 1000 + " us kernels back to back";
            Result r = new Result("Lv" + level.number() + (level == PreemptLevel.LAUNCH ? " " + window.threshold() + "/"
                    + window.batchSize() : " gate " + window.threshold() + "/" + window.batchSize()), label, trials,
                    Stats.median(latency), Stats.percentile(latency, 99), Stats.max(latency));
            CudaBenchmarks.progress(r.toString());
            return r;
        } finally {
            xsched.close();
        }
    }

    private static int inFlight(EmbeddedXsched xsched, XQueue q) {
        return xsched.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().inFlight;
    }
}
