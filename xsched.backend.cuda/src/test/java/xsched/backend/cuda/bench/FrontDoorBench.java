package xsched.backend.cuda.bench;

import java.util.List;
import xsched.api.LaunchConfig;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;

/**
 * Where the foreground job's time goes when it runs alone: the job of {@link ForegroundBench}
 * (six kernels, then wait for the last) timed in two phases, issuing the commands and waiting for
 * the last, natively (stream synchronize; an event recorded after the job and synchronized, the
 * way xsched waits) and through an XQueue with the default window and one sized to the job. Each
 * configuration runs {@code warmJobs} jobs back to back first (the JIT's steady state), then the
 * measured jobs at the foreground's period.
 */
final class FrontDoorBench {
    /** One configuration's figures, in milliseconds. */
    record Result(String config, double p50Ms, double p99Ms, double issueP50Ms, double waitP50Ms, double issueP99Ms,
                  double waitP99Ms) {
    }

    private final CudaGpu gpu;
    private final Xsched runtime;
    private final ForegroundBench jobs;

    FrontDoorBench(CudaGpu gpu, Xsched runtime, ForegroundBench jobs) {
        this.gpu = gpu;
        this.runtime = runtime;
        this.jobs = jobs;
    }

    /**
     * @param event wait on an event recorded after the job instead of synchronizing the stream
     * @param fresh build the job's commands anew for every job, as xsched's side must (a command
     *              is submitted once), instead of launching the same objects every time
     */
    Result nativeRun(String config, int warmJobs, int measured, long periodNanos, boolean event, boolean fresh) {
        try (NativeStream fg = new NativeStream(gpu, 0)) {
            fg.bind();
            List<KernelLaunch> job = jobs.job();
            double[][] t = new double[2][measured];
            for (int j = -warmJobs; j < measured; j++) {
                if (fresh) {
                    job = jobs.job();
                }
                long t0 = System.nanoTime();
                for (KernelLaunch k : job) {
                    fg.launch(k);
                }
                long t1 = System.nanoTime();
                if (event) {
                    fg.recordAndSynchronize();
                } else {
                    fg.synchronize();
                }
                long t2 = System.nanoTime();
                keep(t, j, t0, t1, t2, periodNanos);
            }
            return result(config, t);
        }
    }

    Result xschedRun(String config, int warmJobs, int measured, long periodNanos, LaunchConfig launch)
            throws InterruptedException {
        return xschedRun(runtime, config, warmJobs, measured, periodNanos, QueueOptions.defaults().withLaunch(launch));
    }

    /** Like the other, in {@code in} (e.g. a runtime whose backend gates its queues), with {@code options} (e.g. a level). */
    Result xschedRun(Xsched in, String config, int warmJobs, int measured, long periodNanos, QueueOptions options)
            throws InterruptedException {
        XQueue fg = in.createQueue(gpu.id(), options.withName("front-door"));
        try {
            double[][] t = new double[2][measured];
            for (int j = -warmJobs; j < measured; j++) {
                List<KernelLaunch> job = jobs.job();
                long t0 = System.nanoTime();
                long last = 0;
                for (KernelLaunch k : job) {
                    last = fg.submit(k);
                }
                long t1 = System.nanoTime();
                fg.await(last);
                long t2 = System.nanoTime();
                keep(t, j, t0, t1, t2, periodNanos);
            }
            return result(config, t);
        } finally {
            fg.close();
        }
    }

    /** Keeps a measured job's phases; warm-up jobs run back to back, measured ones at the period. */
    private static void keep(double[][] t, int j, long t0, long t1, long t2, long periodNanos) {
        if (j < 0) {
            return;
        }
        t[0][j] = (t1 - t0) / 1e6;
        t[1][j] = (t2 - t1) / 1e6;
        Stats.sleepNanos(periodNanos - (t2 - t0));
    }

    private static Result result(String config, double[][] t) {
        double[] total = new double[t[0].length];
        for (int i = 0; i < total.length; i++) {
            total[i] = t[0][i] + t[1][i];
        }
        return new Result(config, Stats.median(total), Stats.percentile(total, 99), Stats.median(t[0]), Stats.median(t[1]),
                Stats.percentile(t[0], 99), Stats.percentile(t[1], 99));
    }
}
