package xsched.backend.cuda.bench;

import java.util.ArrayList;
import java.util.List;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaKernel;
import xsched.backend.cuda.CudaModule;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.Dim3;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;

/**
 * The preemption levels side by side, on the same workloads in one run: level 1 (xsched stops
 * launching), level 2 by the stream gate (held kernels never start; a running one runs to its
 * end), level 2 by the PTX guardian (kernels loaded through {@link StockKernels.Form#GUARDED}: a
 * stop lets a running kernel's remaining blocks leave; they run on resume), level 3 by interrupt
 * points ({@link StockKernels.Form#INTERRUPTIBLE}: blocks leave at loop back-edges and are redone)
 * and an opaque kernel (the spin kernel from {@code timing.fatbin}, which the guardian cannot see
 * into: the gate is its highest level). Three tables: overhead against direct launches,
 * preemption latency, and a whole-GPU foreground against a many-wave background with the
 * background's throughput kept.
 */
final class LevelBench implements AutoCloseable {
    /** Spin blocks per SM that fill an H200's thread slots (1024-thread blocks). */
    private static final int BLOCKS_PER_SM = 2;
    private static final int SPIN_THREADS = 1024;

    /** How a mode launches: builds a spin kernel from its kernel set. */
    @FunctionalInterface
    interface Spins {
        KernelLaunch spin(long nanos, int blocks, int threads);
    }

    /**
     * One way to run the same work.
     *
     * @param label   the row's name
     * @param column  its column's heading in the overhead table
     * @param runtime the runtime whose queue gets the commands, null for direct launches on a raw stream
     * @param kernels the kernel set its MLP uses, null where it has none (the opaque spin)
     * @param spins   its spin kernels
     */
    record Mode(String label, String column, Xsched runtime, StockKernels kernels, Spins spins) {
    }

    /** One row of the overhead table: {@code count} spins of one shape, or {@code count} passes of the MLP chain. */
    private record Workload(String label, boolean mlp, long nanos, int blocks, int threads, int count) {
        /** @return the commands of one timed run in {@code mode}, null where the mode has no kernels for it */
        List<KernelLaunch> commands(Mode mode, Mlp chain) {
            if (mlp) {
                return mode.kernels() == null ? null : chain.chain(mode.kernels(), count);
            }
            return OverheadBench.repeat(count, () -> mode.spins().spin(nanos, blocks, threads));
        }
    }

    private final CudaGpu gpu;
    private final CudaPlatform platform;
    private final StockKernels plain;
    private final StockKernels guarded;
    private final StockKernels interruptible;
    private final CudaModule opaque;
    private final CudaKernel opaqueSpin;

    LevelBench(CudaPlatform platform, CudaGpu gpu, StockKernels plain) {
        this.platform = platform;
        this.gpu = gpu;
        this.plain = plain;
        StockKernels g = null;
        StockKernels i = null;
        CudaModule o = null;
        try {
            g = StockKernels.load(gpu, StockKernels.Form.GUARDED);
            i = StockKernels.load(gpu, StockKernels.Form.INTERRUPTIBLE);
            o = gpu.loadModule(StockKernels.resource("timing.fatbin"));
        } catch (RuntimeException e) {
            closeAll(g, i, o);
            throw e;
        }
        guarded = g;
        interruptible = i;
        opaque = o;
        opaqueSpin = opaque.kernel("spin");
        CudaBenchmarks.progress("levels: guardian left unguarded " + guarded.unguarded() + "; with interrupt points "
                + interruptible.unguarded() + "; fatbin spin guarded: " + opaqueSpin.guarded());
    }

    /** @return what the guardian said about the stock kernels, for the table's heading */
    String guardianReport() {
        return "guarded form unguarded: " + guarded.unguarded() + ", interruptible form unguarded: " + interruptible.unguarded();
    }

    /** A spin of {@code waves} full waves of blocks that each spin {@code nanos}. */
    private int waveBlocks(int waves) {
        return waves * BLOCKS_PER_SM * gpu.multiprocessors();
    }

    private KernelLaunch opaqueSpin(long nanos, int blocks, int threads) {
        return opaqueSpin.launch(Dim3.of(blocks), Dim3.of(threads)).arg(nanos).build();
    }

    /** The modes of the overhead table: direct (plain and guarded kernels), then through queues. */
    private List<Mode> overheadModes(Xsched lv1, Xsched gates) {
        return List.of(
                new Mode("direct", "direct", null, plain, plain::spin),
                new Mode("direct, guarded kernels", "dir.guard", null, guarded, guarded::spin),
                new Mode("Lv1", "Lv1", lv1, plain, plain::spin),
                new Mode("Lv2 gate", "gate", gates, plain, plain::spin),
                new Mode("Lv2 guardian", "guardian", gates, guarded, guarded::spin),
                new Mode("Lv3 interrupt points", "Lv3", gates, interruptible, interruptible::spin),
                new Mode("Lv2 gate, opaque fatbin", "opaque", gates, null, this::opaqueSpin));
    }

    /**
     * Overhead of each level against direct launches of the plain kernels: the same commands in
     * the same order, one stream or one queue (threshold 16, batch 8), from the first launch to the
     * completion of the last; modes alternate within a repetition, medians reported.
     */
    void overhead(Xsched lv1, Xsched gates, boolean quick, List<String> table) throws InterruptedException {
        List<Mode> modes = overheadModes(lv1, gates);
        int reps = quick ? 1 : 3;
        double scale = quick ? 0.1 : 1.0;
        List<Workload> workloads = List.of(
                new Workload("spin 10 us, 1 block", false, 10_000, 1, 32, (int) (3000 * scale)),
                new Workload("spin 100 us, 1 block", false, 100_000, 1, 32, (int) (400 * scale)),
                new Workload("spin 1 ms, 1 block", false, 1_000_000, 1, 32, (int) Math.max(4, 40 * scale)),
                new Workload("spin 16 waves of 100 us blocks", false, 100_000, waveBlocks(16), SPIN_THREADS,
                        (int) Math.max(3, 25 * scale)),
                new Workload("MLP 4x(GEMM 256x1024x1024 + bias/ReLU)", true, 0, 0, 0, quick ? 20 : 300));
        Mlp mlp = new Mlp(gpu);
        List<String> rows = new ArrayList<>();
        List<Runner> runners = new ArrayList<>();
        try {
            // one stream or queue per mode for the whole table: the control blocks, events and gate
            // words a first launch sets up are made during the first warm-up, never while timed
            for (Mode m : modes) {
                runners.add(new Runner(gpu, m));
            }
            for (Workload w : workloads) {
                double[][] ms = new double[modes.size()][reps];
                CudaBenchmarks.progress("levels overhead: " + w.label() + ": warm-up");
                for (int m = 0; m < modes.size(); m++) {
                    runners.get(m).time(w.commands(modes.get(m), mlp));
                }
                for (int r = 0; r < reps; r++) {
                    for (int m = 0; m < modes.size(); m++) {
                        ms[m][r] = runners.get(m).time(w.commands(modes.get(m), mlp));
                    }
                }
                double direct = Stats.median(ms[0]);
                StringBuilder row = new StringBuilder(Stats.f("%-40s %5d %9.2f", w.label(), w.count() * (w.mlp() ? 8 : 1), direct));
                for (int m = 1; m < modes.size(); m++) {
                    double v = Stats.median(ms[m]);
                    row.append(Double.isNaN(v) ? Stats.f(" %9s", "-") : Stats.f(" %8.2f%%", (v / direct - 1) * 100));
                }
                rows.add(row.toString());
                CudaBenchmarks.progress(row.toString());
            }
        } finally {
            runners.forEach(Runner::close);
            mlp.close();
        }
        table.add("");
        table.add(Stats.f("Overhead per level vs direct launches of the plain kernels (one stream or one queue, threshold 16, "
                + "batch 8; same commands, same order; median of %d; guarded/interrupt-point kernels are the same PTX "
                + "rewritten by the guardian; opaque = spin from timing.fatbin, no MLP)", reps));
        StringBuilder head = new StringBuilder(Stats.f("%-40s %5s %9s", "workload", "cmds", "direct ms"));
        for (int m = 1; m < modes.size(); m++) {
            head.append(Stats.f(" %9s", modes.get(m).column()));
        }
        table.add("columns: dir.guard = " + modes.get(1).label() + "; gate/guardian/Lv3 through a gated queue; "
                + "opaque = Lv2 gate with the fatbin kernel");
        table.add(head.toString());
        table.addAll(rows);
    }

    /** Where one mode's commands go: a raw stream, or a queue of the mode's runtime; kept for the whole table. */
    private static final class Runner implements AutoCloseable {
        private final NativeStream stream;
        private final XQueue queue;

        Runner(CudaGpu gpu, Mode mode) {
            if (mode.runtime() == null) {
                stream = new NativeStream(gpu, 0);
                queue = null;
            } else {
                stream = null;
                queue = mode.runtime().createQueue(gpu.id(), QueueOptions.defaults().withName("levels " + mode.label()));
            }
        }

        /** @return the run's milliseconds, NaN for no commands (null) */
        double time(List<KernelLaunch> commands) throws InterruptedException {
            if (commands == null) {
                return Double.NaN;
            }
            if (stream != null) {
                stream.bind();
                return OverheadBench.timeDirect(stream, commands);
            }
            return OverheadBench.timeXsched(queue, commands);
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.close();
            } else {
                queue.close();
            }
        }
    }

    /**
     * Preemption latency per level: a queue kept full of one kind of kernel is suspended; from
     * {@code suspend()} until nothing of the queue is on the GPU ({@link GateLatencyBench}).
     */
    void latency(boolean quick, List<String> table) throws InterruptedException {
        GateLatencyBench bench = new GateLatencyBench(gpu);
        int trials = quick ? 5 : 30;
        LaunchConfig perCommand = new LaunchConfig(16, 1);
        List<GateLatencyBench.Result> rows = new ArrayList<>();
        long block = 100_000;
        int blocks = waveBlocks(16);
        String longKernel = "16 waves of 100 us blocks (" + blocks + " x " + SPIN_THREADS + ")";
        String backToBack = "20 us 1-block kernels back to back";
        record Case(String level, PreemptLevel as, boolean gates, Spins spins) {
        }
        List<Case> cases = List.of(
                new Case("Lv1 16/1", PreemptLevel.LAUNCH, false, plain::spin),
                new Case("Lv2 gate 16/1", PreemptLevel.DEACTIVATE, true, plain::spin),
                new Case("Lv2 gate, opaque", PreemptLevel.DEACTIVATE, true, this::opaqueSpin),
                new Case("Lv2 guardian", PreemptLevel.DEACTIVATE, true, guarded::spin),
                new Case("Lv3 interrupt points", PreemptLevel.INTERRUPT, true, interruptible::spin));
        for (Case c : cases) {
            rows.add(bench.run(CudaBackends.over(platform, c.gates()), c.as(), c.level(), longKernel,
                    () -> c.spins().spin(block, blocks, SPIN_THREADS), 16 * block, trials, perCommand));
        }
        for (Case c : cases) {
            rows.add(bench.run(CudaBackends.over(platform, c.gates()), c.as(), c.level(), backToBack,
                    () -> c.spins().spin(20_000, 1, 32), 20_000, trials, perCommand));
        }
        GateLatencyBench.addTable(table, Stats.f("Preemption latency per level: suspend() -> nothing of the queue on the GPU (Lv1: "
                + "in-flight reads 0; Lv2/Lv3: suspend() returned: the gate closed, the flag set, what had passed the gate left the "
                + "GPU); %d trials, window 16/1, kept full", trials), rows, 44);
    }

    /**
     * A periodic foreground that uses the whole GPU (the MLP job; priority 10, window 6/6) against a
     * background of many-wave spin kernels (16 waves of 25 us blocks; window 2/1), per level; with
     * the background's throughput kept, against the background alone on a raw stream.
     */
    void foreground(Xsched lv1, Xsched gates, boolean quick, List<String> table) throws InterruptedException {
        int jobs = quick ? 30 : 300;
        long period = 4_000_000;
        long block = 25_000;
        int blocks = waveBlocks(16);
        LaunchConfig perJob = new LaunchConfig(ForegroundBench.JOB_COMMANDS, ForegroundBench.JOB_COMMANDS);
        LaunchConfig bgWindow = new LaunchConfig(2, 1);
        ForegroundBench bench = new ForegroundBench(gpu, lv1, plain);
        List<ForegroundBench.Result> rows = new ArrayList<>();
        double bgAlone;
        try {
            bgAlone = backgroundAlone(plain.spin(block, blocks, SPIN_THREADS), quick);
            ForegroundBench.Run nativeAlone = bench.nativeRun(jobs, period, null);
            ForegroundBench.Run nativeBg = bench.nativeRun(jobs, period, plain.spin(block, blocks, SPIN_THREADS));
            double nativeRef = Stats.percentile(nativeAlone.latency(), 99);
            rows.add(ForegroundBench.result("native, fg alone", nativeAlone, nativeRef, nativeRef));
            rows.add(ForegroundBench.result("native, 2 streams equal priority", nativeBg, nativeRef, nativeRef));
            CudaBenchmarks.progress("levels foreground: xsched Lv3, fg alone");
            rows.add(ForegroundBench.result("xsched Lv3, fg alone (its own cost)", ForegroundBench.xschedRun(gates, bench::job,
                    ForegroundBench.WARM_UP_JOBS, jobs, period, null, perJob, bgWindow, List.of()), nativeRef, nativeRef));
            rows.add(ForegroundBench.result("xsched fg Lv1 on gates, fg alone", ForegroundBench.xschedRun(gates, bench::job,
                    ForegroundBench.WARM_UP_JOBS, jobs, period, null, perJob, bgWindow, List.of(), PreemptLevel.LAUNCH), nativeRef, nativeRef));
            record Case(String label, Xsched runtime, Spins spins, PreemptLevel fgLevel) {
            }
            for (Case c : List.of(new Case("xsched HPF Lv1", lv1, plain::spin, null),
                    new Case("xsched HPF Lv2 gate", gates, plain::spin, null),
                    new Case("xsched HPF Lv2 guardian", gates, guarded::spin, null),
                    new Case("xsched HPF Lv3 interrupt points", gates, interruptible::spin, null),
                    new Case("xsched HPF Lv2 guardian, fg Lv1", gates, guarded::spin, PreemptLevel.LAUNCH),
                    new Case("xsched HPF Lv3, fg Lv1", gates, interruptible::spin, PreemptLevel.LAUNCH))) {
                CudaBenchmarks.progress("levels foreground: " + c.label());
                ForegroundBench.Run run = ForegroundBench.xschedRun(c.runtime(), bench::job, ForegroundBench.WARM_UP_JOBS, jobs,
                        period, () -> c.spins().spin(block, blocks, SPIN_THREADS), perJob, bgWindow, List.of(), c.fgLevel());
                rows.add(ForegroundBench.result(c.label(), run, nativeRef, nativeRef));
            }
        } finally {
            bench.close();
        }
        table.add("");
        table.add(Stats.f("Foreground per level (3-layer MLP, batch 64, width 512, every %.0f ms, %d jobs after %d back to back; "
                + "priority 10, window 6/6) vs a many-wave background (spin, 16 waves of %.0f us blocks = %d blocks x %d threads; "
                + "priority 0, window 2/1); bg kept = background kernels/s vs the background alone on a raw stream (%.0f/s)",
                period / 1e6, jobs, ForegroundBench.WARM_UP_JOBS, block / 1e3, blocks, SPIN_THREADS, bgAlone));
        table.add(Stats.f("%-40s %10s %10s %12s %9s %8s", "config", "fg p50 ms", "fg p99 ms", "p99/native", "bg k/s", "bg kept"));
        for (ForegroundBench.Result r : rows) {
            table.add(Stats.f("%-40s %10.3f %10.3f %11.2fx %9.0f %7.0f%%", r.config(), r.p50Ms(), r.p99Ms(), r.p99OverNative(),
                    r.bgPerSecond(), 100 * r.bgPerSecond() / bgAlone));
        }
    }

    /** @return kernels per second of {@code kernel} alone on a raw stream, back to back */
    private double backgroundAlone(KernelLaunch kernel, boolean quick) throws InterruptedException {
        try (NativeStream stream = new NativeStream(gpu, 0)) {
            SpinBackground bg = SpinBackground.start(stream, kernel);
            try {
                Thread.sleep(100);
                long c0 = bg.completed();
                long t0 = System.nanoTime();
                Thread.sleep(quick ? 300 : 1000);
                bg.requireRunning();
                return (bg.completed() - c0) / ((System.nanoTime() - t0) / 1e9);
            } finally {
                bg.close();
            }
        }
    }

    @Override
    public void close() {
        closeAll(guarded, interruptible, opaque);
    }

    private static void closeAll(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    CudaBenchmarks.progress("closing " + c + " failed: " + e);
                }
            }
        }
    }

    /** The MLP chain's buffers (4 layers of GEMM 256x1024x1024 + bias/ReLU), built with any kernel set. */
    static final class Mlp implements AutoCloseable {
        private static final int BATCH = 256;
        private static final int WIDTH = 1024;
        private static final int LAYERS = 4;
        private final List<DeviceBuffer> buffers = new ArrayList<>();
        private final DeviceBuffer[] acts = new DeviceBuffer[LAYERS + 1];
        private final DeviceBuffer[] w = new DeviceBuffer[LAYERS];
        private final DeviceBuffer[] b = new DeviceBuffer[LAYERS];

        Mlp(CudaGpu gpu) {
            for (int l = 0; l <= LAYERS; l++) {
                acts[l] = upload(gpu, BATCH * WIDTH, l, 1.0f);
            }
            for (int l = 0; l < LAYERS; l++) {
                w[l] = upload(gpu, WIDTH * WIDTH, 10 + l, 0.05f);
                b[l] = upload(gpu, WIDTH, 20 + l, 0.1f);
            }
        }

        private DeviceBuffer upload(CudaGpu gpu, int n, long seed, float scale) {
            DeviceBuffer d = gpu.allocate(4L * n);
            buffers.add(d);
            java.util.Random r = new java.util.Random(seed);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (r.nextFloat() * 2 - 1) * scale;
            }
            d.upload(v);
            return d;
        }

        /** @return {@code iterations} passes through the layers, 8 kernels each */
        List<KernelLaunch> chain(StockKernels k, int iterations) {
            List<KernelLaunch> list = new ArrayList<>(iterations * 2 * LAYERS);
            for (int it = 0; it < iterations; it++) {
                for (int l = 0; l < LAYERS; l++) {
                    list.add(k.sgemm(acts[l], w[l], acts[l + 1], BATCH, WIDTH, WIDTH));
                    list.add(k.biasRelu(acts[l + 1], b[l], BATCH, WIDTH));
                }
            }
            return list;
        }

        @Override
        public void close() {
            buffers.forEach(DeviceBuffer::close);
        }
    }
}
