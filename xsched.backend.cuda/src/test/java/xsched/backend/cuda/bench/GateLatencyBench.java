package xsched.backend.cuda.bench;

import java.util.List;
import java.util.function.Supplier;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.KernelLaunch;
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

    GateLatencyBench(CudaGpu gpu) {
        this.gpu = gpu;
    }

    /**
     * @param backend     the backend of the runtime made for this run (closed with it)
     * @param level       the queue's level
     * @param label       the row's level column
     * @param kernels     the row's kernels column
     * @param kernel      builds one kernel of the kind the queue is kept full of
     * @param kernelNanos how long one runs, to keep about 2 ms of them queued
     * @param trials      suspensions measured
     * @param window      the queue's threshold and batch
     */
    Result run(Backend backend, PreemptLevel level, String label, String kernels, Supplier<KernelLaunch> kernel, long kernelNanos,
               int trials, LaunchConfig window) throws InterruptedException {
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
                    q.submit(kernel.get());
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
            Result r = new Result(label, kernels, trials,
                    Stats.median(latency), Stats.percentile(latency, 99), Stats.max(latency));
            CudaBenchmarks.progress(r.toString());
            return r;
        } finally {
            xsched.close();
        }
    }

    /**
     * Adds the rows under {@code heading} to {@code table}.
     *
     * @param kernelsWidth the width of the kernels column
     */
    static void addTable(List<String> table, String heading, List<Result> rows, int kernelsWidth) {
        String row = "%-22s %-" + kernelsWidth + "s %9s %9s %9s";
        table.add("");
        table.add(heading);
        table.add(Stats.f(row, "level", "kernels", "p50 ms", "p99 ms", "max ms"));
        for (Result r : rows) {
            table.add(Stats.f(row, r.level(), r.kernels(), Stats.f("%.3f", r.p50Ms()), Stats.f("%.3f", r.p99Ms()),
                    Stats.f("%.3f", r.maxMs())));
        }
    }

    private static int inFlight(EmbeddedXsched xsched, XQueue q) {
        return xsched.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().inFlight;
    }
}
