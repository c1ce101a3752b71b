package xsched.backend.cuda.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.StockKernels;

/**
 * A latency-sensitive foreground job against a saturating background, in one process. The
 * foreground is a small inference step (three MLP layers: SGEMM + bias/ReLU, batch 64, width 512)
 * issued every {@code periodNanos} after {@link #WARM_UP_JOBS} jobs back to back; its latency is
 * host-observed, from the first launch to the moment the caller learns the last command completed. The background launches spin kernels
 * filling every SM, back to back. Compared: native streams of equal priority, native streams with
 * the foreground at the most urgent CUDA stream priority, and xsched with HPF (foreground
 * priority hint above the background's; background window threshold 2, batch 1).
 */
final class ForegroundBench {
    record Result(String config, double p50Ms, double p99Ms, double p99OverStandalone, double p99OverNative, double bgPerSecond) {
    }

    /** One run: the foreground latencies and the background kernels completed per second meanwhile (NaN without one). */
    record Run(double[] latency, double bgPerSecond) {
    }

    /**
     * Jobs run back to back before the measured ones, in every configuration alike: the JIT's
     * steady state, as in a serving process that has run for a while. (Until 2026-12-01 it was 10
     * jobs at the period, which measured xsched's path partly before compilation: 1.7-2.1x of
     * native at p50 in a fresh JVM against 1.1-1.3x once warm, `FrontDoorBench`.)
     */
    static final int WARM_UP_JOBS = 3000;

    /** Commands per foreground job. */
    static final int JOB_COMMANDS = 2 * 3;

    private static final int BATCH = 64;
    private static final int WIDTH = 512;
    private static final int LAYERS = 3;

    private final CudaGpu gpu;
    private final Xsched runtime;
    private final StockKernels kernels;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final DeviceBuffer x;
    private final DeviceBuffer[] weights = new DeviceBuffer[LAYERS];
    private final DeviceBuffer[] biases = new DeviceBuffer[LAYERS];
    private final DeviceBuffer[] acts = new DeviceBuffer[LAYERS];

    ForegroundBench(CudaGpu gpu, Xsched runtime, StockKernels kernels) {
        this.gpu = gpu;
        this.runtime = runtime;
        this.kernels = kernels;
        x = upload(BATCH * WIDTH, 1);
        for (int l = 0; l < LAYERS; l++) {
            weights[l] = upload(WIDTH * WIDTH, 10 + l);
            biases[l] = upload(WIDTH, 20 + l);
            acts[l] = upload(BATCH * WIDTH, 30 + l);
        }
    }

    private DeviceBuffer upload(int n, long seed) {
        DeviceBuffer b = gpu.allocate(4L * n);
        float[] v = new float[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextFloat() - 0.5f) * 0.1f;
        }
        b.upload(v);
        buffers.add(b);
        return b;
    }

    /** @return the commands of one foreground job, built now */
    List<KernelLaunch> job() {
        List<KernelLaunch> cmds = new ArrayList<>(2 * LAYERS);
        DeviceBuffer in = x;
        for (int l = 0; l < LAYERS; l++) {
            cmds.add(kernels.sgemm(in, weights[l], acts[l], BATCH, WIDTH, WIDTH));
            cmds.add(kernels.biasRelu(acts[l], biases[l], BATCH, WIDTH));
            in = acts[l];
        }
        return cmds;
    }

    Run nativeRun(int jobs, long periodNanos, boolean background, boolean priorities, long bgKernelNanos)
            throws InterruptedException {
        int[] range = NativeStream.priorityRange(gpu);
        CudaBenchmarks.progress("native run: background " + background + ", priorities " + priorities);
        int fgPriority = priorities ? range[1] : 0;
        int bgPriority = priorities ? range[0] : 0;
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong bgDone = new java.util.concurrent.atomic.AtomicLong();
        try (NativeStream fg = new NativeStream(gpu, fgPriority); NativeStream bgStream = new NativeStream(gpu, bgPriority)) {
            Thread bg = null;
            // the background thread must be gone before the streams close
            try {
                if (background) {
                    KernelLaunch spin = kernels.saturatingSpin(bgKernelNanos);
                    bg = Thread.ofPlatform().name("native-bg").start(() -> {
                        bgStream.bind();
                        while (running.get()) {
                            for (int i = 0; i < 4; i++) {
                                bgStream.launch(spin);
                            }
                            bgStream.recordAndWaitPrevious();
                            bgDone.addAndGet(4);
                        }
                    });
                    Thread.sleep(20);
                }
                fg.bind();
                return measure(jobs, periodNanos, job(), fg, background ? bgDone::get : null);
            } finally {
                running.set(false);
                if (bg != null) {
                    bg.join();
                }
            }
        }
    }

    /**
     * The foreground on a raw stream, alone or against {@code background} launched over and over on a
     * second raw stream of equal priority ({@link SpinBackground}).
     *
     * @param background the background kernel, null for none
     */
    Run nativeRun(int jobs, long periodNanos, KernelLaunch background) throws InterruptedException {
        CudaBenchmarks.progress("native run: background " + (background == null ? "none" : background.describe()));
        try (NativeStream fg = new NativeStream(gpu, 0); NativeStream bgStream = new NativeStream(gpu, 0)) {
            SpinBackground bg = background == null ? null : SpinBackground.start(bgStream, background);
            try {
                if (bg != null) {
                    Thread.sleep(20);
                }
                fg.bind();
                Run run = measure(jobs, periodNanos, job(), fg, bg == null ? null : bg::completed);
                if (bg != null) {
                    bg.requireRunning();
                }
                return run;
            } finally {
                if (bg != null) {
                    bg.close();
                }
            }
        }
    }

    private static Run measure(int jobs, long periodNanos, List<KernelLaunch> job, NativeStream fg,
                               java.util.function.LongSupplier bgDone) {
        double[] latency = new double[jobs];
        long bg0 = 0;
        long start = 0;
        for (int j = -WARM_UP_JOBS; j < jobs; j++) {
            if (j == 0) {
                bg0 = bgDone == null ? 0 : bgDone.getAsLong();
                start = System.nanoTime();
            }
            long t0 = System.nanoTime();
            for (KernelLaunch k : job) {
                fg.launch(k);
            }
            fg.synchronize();
            long t1 = System.nanoTime();
            if (j >= 0) {
                latency[j] = (t1 - t0) / 1e6;
                Stats.sleepNanos(periodNanos - (t1 - t0));
            }
        }
        return new Run(latency, perSecond(bgDone, bg0, start));
    }

    private static double perSecond(java.util.function.LongSupplier done, long done0, long start) {
        return done == null ? Double.NaN : (done.getAsLong() - done0) / ((System.nanoTime() - start) / 1e9);
    }

    Run xschedRun(int jobs, long periodNanos, boolean background, long bgKernelNanos, LaunchConfig fgLaunch)
            throws InterruptedException {
        return xschedRun(runtime, jobs, periodNanos, background, bgKernelNanos, fgLaunch, new LaunchConfig(2, 1));
    }

    /** Like the other, in {@code runtime} (e.g. one whose CUDA backend gates its queues), with the background's window. */
    Run xschedRun(Xsched runtime, int jobs, long periodNanos, boolean background, long bgKernelNanos, LaunchConfig fgLaunch,
                  LaunchConfig bgLaunch) throws InterruptedException {
        CudaBenchmarks.progress("xsched run: background " + background + ", fg " + fgLaunch + ", bg " + bgLaunch);
        return xschedRun(runtime, this::job, WARM_UP_JOBS, jobs, periodNanos,
                background ? () -> kernels.saturatingSpin(bgKernelNanos) : null, fgLaunch, bgLaunch, List.of());
    }

    /**
     * A foreground and a saturating background as two XQueues of {@code runtime}, priorities 10 and 0.
     *
     * @param job        builds one foreground job (commands are submitted once, so each job is built anew)
     * @param warmUp     jobs before the measured ones
     * @param background builds one background kernel, null for none
     * @param fgHints    more hints for the foreground queue, given its id (e.g. a reservation)
     * @return the measured jobs' latencies and the background's rate during them
     */
    static Run xschedRun(Xsched runtime, Supplier<List<KernelLaunch>> job, int warmUp, int jobs, long periodNanos,
                         Supplier<KernelLaunch> background, LaunchConfig fgLaunch, LaunchConfig bgLaunch,
                         List<LongFunction<Hint>> fgHints) throws InterruptedException {
        return xschedRun(runtime, job, warmUp, jobs, periodNanos, background, fgLaunch, bgLaunch, fgHints, null);
    }

    /**
     * Like the other, with the foreground's queue at {@code fgLevel}: HPF never stops the queue of
     * the highest priority, so level 1 spares it the cost of gates, and only the background pays for
     * being preemptible.
     *
     * @param fgLevel the foreground queue's level; null: the highest its device offers
     */
    static Run xschedRun(Xsched runtime, Supplier<List<KernelLaunch>> job, int warmUp, int jobs, long periodNanos,
                         Supplier<KernelLaunch> background, LaunchConfig fgLaunch, LaunchConfig bgLaunch,
                         List<LongFunction<Hint>> fgHints, PreemptLevel fgLevel) throws InterruptedException {
        String device = job.get().getFirst().gpu().id();
        QueueOptions fgOptions = QueueOptions.defaults().withName("fg").withLaunch(fgLaunch);
        XQueue fg = runtime.createQueue(device, fgLevel == null ? fgOptions : fgOptions.withLevel(fgLevel));
        XQueue bgQueue = runtime.createQueue(device, QueueOptions.defaults().withName("bg").withLaunch(bgLaunch));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 10));
        runtime.hint(new Hint.Priority(HintTarget.queue(bgQueue.id()), 0));
        fgHints.forEach(h -> runtime.hint(h.apply(fg.id())));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread bg = null;
        try {
            if (background != null) {
                bg = Thread.ofPlatform().name("xsched-bg-submitter").start(() -> {
                    while (running.get()) {
                        if (bgQueue.submitted() - bgQueue.finished() < 16) {
                            bgQueue.submit(background.get());
                        } else {
                            Stats.sleepNanos(100_000);
                        }
                    }
                });
                Thread.sleep(20);
            }
            double[] latency = new double[jobs];
            long bg0 = 0;
            long start = 0;
            for (int j = -warmUp; j < jobs; j++) {
                if (j == 0) {
                    bg0 = bgQueue.finished();
                    start = System.nanoTime();
                }
                List<KernelLaunch> commands = job.get();
                long t0 = System.nanoTime();
                long last = 0;
                for (KernelLaunch k : commands) {
                    last = fg.submit(k);
                }
                fg.await(last);
                long t1 = System.nanoTime();
                if (j >= 0) {
                    latency[j] = (t1 - t0) / 1e6;
                    Stats.sleepNanos(periodNanos - (t1 - t0));
                }
            }
            return new Run(latency, background != null ? perSecond(bgQueue::finished, bg0, start) : Double.NaN);
        } finally {
            running.set(false);
            if (bg != null) {
                bg.join();
            }
            bgQueue.resume(true);
            fg.close();
            bgQueue.close();
        }
    }

    static Result result(String config, Run run, double standaloneP99, double nativeP99) {
        double p99 = Stats.percentile(run.latency(), 99);
        return new Result(config, Stats.median(run.latency()), p99, p99 / standaloneP99, p99 / nativeP99, run.bgPerSecond());
    }

    void close() {
        buffers.forEach(DeviceBuffer::close);
    }
}
