package xsched.backend.cuda.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;

/**
 * Level 1 overhead: the same commands, in the same order, launched directly on one stream and
 * submitted to one XQueue (default threshold 16, batch 8), timed host-side from the first launch
 * to completion of the last; repetitions alternate between the two and the median is reported.
 * Commands are built before timing in both modes. Also reads the CPU time the launch worker (for
 * xsched) or the launching thread (direct) spent per second of the run.
 */
final class OverheadBench {
    /** One measured workload. */
    record Result(String workload, int commands, double directMs, double xschedMs, double workerCpuMsPerS,
                  double directCpuMsPerS, double gateMs) {
        double overheadPercent() {
            return (xschedMs / directMs - 1) * 100;
        }

        double gateOverheadPercent() {
            return (gateMs / directMs - 1) * 100;
        }

        double gateOverLv1Percent() {
            return (gateMs / xschedMs - 1) * 100;
        }
    }

    private final CudaGpu gpu;
    private final Xsched runtime;
    private final Xsched gateRuntime;
    private final int reps;

    /** @param gateRuntime a runtime whose CUDA backend gates its queues (level 2), or null to time level 1 only */
    OverheadBench(CudaGpu gpu, Xsched runtime, Xsched gateRuntime, int reps) {
        this.gpu = gpu;
        this.runtime = runtime;
        this.gateRuntime = gateRuntime;
        this.reps = reps;
    }

    /**
     * @param workload label
     * @param build    makes one round of commands (called once per mode and repetition)
     */
    Result run(String workload, Supplier<List<KernelLaunch>> build) throws InterruptedException {
        XQueue q = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("overhead"));
        XQueue gated = gateRuntime == null ? null : gateRuntime.createQueue(gpu.id(), QueueOptions.defaults().withName("overhead-lv2"));
        String worker = "xsched-launch-" + q.id();
        try (NativeStream direct = new NativeStream(gpu, 0)) {
            direct.bind();
            CudaBenchmarks.progress(workload + ": warm-up direct");
            timeDirect(direct, build.get());
            CudaBenchmarks.progress(workload + ": warm-up xsched");
            timeXsched(q, build.get());
            if (gated != null) {
                timeXsched(gated, build.get());
            }
            CudaBenchmarks.progress(workload + ": measuring");
            double[] d = new double[reps];
            double[] x = new double[reps];
            double[] g = new double[reps];
            long directCpu = 0;
            long workerCpu = 0;
            double directWall = 0;
            double xschedWall = 0;
            int commands = 0;
            for (int r = 0; r < reps; r++) {
                List<KernelLaunch> forDirect = build.get();
                List<KernelLaunch> forXsched = build.get();
                commands = forDirect.size();
                long c0 = Stats.cpuNanosOfThisThread();
                d[r] = timeDirect(direct, forDirect);
                directCpu += Stats.cpuNanosOfThisThread() - c0;
                directWall += d[r];
                long w0 = Stats.cpuNanosOfThreads(worker);
                x[r] = timeXsched(q, forXsched);
                workerCpu += Stats.cpuNanosOfThreads(worker) - w0;
                xschedWall += x[r];
                g[r] = gated == null ? Double.NaN : timeXsched(gated, build.get());
            }
            Result result = new Result(workload, commands, Stats.median(d), Stats.median(x),
                    workerCpu / 1e6 / (xschedWall / 1e3), directCpu / 1e6 / (directWall / 1e3), Stats.median(g));
            CudaBenchmarks.progress(result.toString());
            return result;
        } finally {
            q.close();
            if (gated != null) {
                gated.close();
            }
        }
    }

    static double timeDirect(NativeStream stream, List<KernelLaunch> commands) {
        long t0 = System.nanoTime();
        for (KernelLaunch k : commands) {
            stream.launch(k);
        }
        stream.synchronize();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double timeXsched(XQueue q, List<KernelLaunch> commands) throws InterruptedException {
        long t0 = System.nanoTime();
        for (KernelLaunch k : commands) {
            q.submit(k);
        }
        q.awaitAll();
        double ms = (System.nanoTime() - t0) / 1e6;
        for (KernelLaunch k : commands) {
            if (k.failure() != null) {
                throw new IllegalStateException("benchmark command failed: " + k.describe(), k.failure());
            }
        }
        return ms;
    }

    static List<KernelLaunch> repeat(int n, Supplier<KernelLaunch> one) {
        List<KernelLaunch> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(one.get());
        }
        return list;
    }
}
