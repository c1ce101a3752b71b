package xsched.backend.cuda.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.backend.cuda.CudaException;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.cuda.internal.green.SmGranularity;
import xsched.backend.cuda.internal.green.SmPartitioning;
import xsched.backend.cuda.internal.green.SmPartitions;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * What static SM reservation by green contexts does for a foreground against a saturating
 * background, next to what one context's streams do, in one process on cuda:0. Everything runs on
 * raw streams ({@link NativeStream}: the same launch path everywhere, no xsched), so the rows differ
 * only in where the work may run:
 * <ul>
 * <li>fg alone: the foreground on a stream of the primary context, nothing else (the baseline);
 * <li>native streams, equal priority: fg and bg on two priority-0 streams of the primary context;
 * <li>stream priorities: the same with fg at the most urgent priority and bg at the least;
 * <li>green N: fg on the reserved partition's stream (N SMs asked: 8, 16, 32, rounded by the
 *     driver), bg on the complement's; plus fg alone on the reserved partition, and bg alone on
 *     the complement, to show what the partition itself costs each side.
 * </ul>
 * Foregrounds: the 3-layer MLP job of {@link ForegroundBench} every 4 ms, and one small kernel
 * (a 20 µs spin of 4 blocks × 256 threads, which needs a few SMs, not the GPU) every 1 ms. Latency
 * is host-observed: first launch until {@code cuStreamSynchronize} returns. Background: spin
 * kernels of 100 µs on the whole GPU, made of 32 blocks of 1024 threads per SM, each spinning
 * 6.25 µs (16 waves), kept queued by {@link SpinBackground}: fine enough that on a partition it
 * loses about what the partition takes from it, not a whole second wave (a grid of exactly two
 * blocks per SM ran in two waves on any partition and halved the background's rate).
 * Then the same under HPF as XQueues: time only, and the foreground's reservation placed by the
 * policy, static, dynamic and shared, at each size. Prints a table last and writes it to
 * {@code $OUT/green-bench.txt} (or {@code green-bench-<shape>-<row groups>.txt} for another
 * background or some row groups) when {@code OUT} is set. Where green contexts are unsupported the table says why and has only the
 * other rows (exit 0); without a GPU it says so and exits 2.
 *
 * <p>The background's shape decides what a partition can keep of it: a grid fitted to the whole
 * GPU's SMs loses a partial last wave on any complement. {@code bg=spin:W} spreads the 100 µs over
 * {@code W} waves of 2 blocks per SM (default 16; more waves, shorter blocks, a smaller loss);
 * {@code bg=sgemm:N} is the stock SGEMM of N×N×N (16×16 tiles, 8 blocks per SM, a real kernel's
 * memory traffic). {@code rows=…} picks row groups: {@code native} (native streams, priorities),
 * {@code green} (raw partitions, and a partition shared with the whole GPU), {@code time} (xsched
 * without placement), {@code static}, {@code dynamic}, {@code shared} (xsched's placements),
 * {@code lv1} (static with the foreground at level 1); default all. The baselines always run.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... xsched.backend.cuda.bench.GreenBench [quick|full] [bg=…] [rows=…]}
 */
public final class GreenBench {
    private static final int[] RESERVE = {8, 16, 32};
    private static final long BG_KERNEL_NANOS = 100_000;
    private static final int BG_THREADS = 1024;
    private static final Set<String> ROW_GROUPS = Set.of("native", "green", "time", "static", "dynamic", "shared", "lv1");
    private static final long MLP_PERIOD_NANOS = 4_000_000;
    private static final long SMALL_PERIOD_NANOS = 1_000_000;
    private static final long SMALL_NANOS = 20_000;
    private static final int SMALL_BLOCKS = 4;
    private static final int SMALL_THREADS = 256;
    private static final long BG_RAMP_MILLIS = 50;

    private final boolean quick;
    private final BackgroundShape shape;
    private final Set<String> rows;
    private final int jobs;
    private final int warmUp;
    private final long bgMillis;
    private final List<String> header = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<BgRow> bgRows = new ArrayList<>();
    private final Map<String, List<FgRow>> fgRows = new LinkedHashMap<>();
    private final Map<String, Double> fgAloneP50 = new LinkedHashMap<>();
    private final Map<String, Double> fgAloneP99 = new LinkedHashMap<>();
    private List<Foreground> foregrounds = List.of();
    private double bgAloneWholeGpu = Double.NaN;
    private int sms;

    /** A periodic foreground job: its kernels, launched in order, then waited for. */
    private record Foreground(String name, Supplier<List<KernelLaunch>> jobs, long periodNanos) {
    }

    /** One measured foreground run: latencies in ms, and the background's kernels/s meanwhile (NaN without one). */
    private record Run(double[] latency, double bgPerSecond) {
    }

    private record FgRow(String config, int fgSms, int bgSms, double p50, double p99, double bgPerSecond, double bgAloneHere) {
    }

    private record BgRow(String config, int sms, int gridBlocks, double perSecond) {
    }

    /**
     * What the background launches over and over: {@code spin} kernels of 100 µs in {@code size}
     * waves of 2 blocks per SM, or the stock SGEMM of {@code size}³.
     */
    record BackgroundShape(String kind, int size) {
        static final BackgroundShape DEFAULT = new BackgroundShape("spin", 16);

        /**
         * @param text {@code spin:W} (W 1…1000 waves) or {@code sgemm:N} (N 256…8192, a multiple of 16)
         * @throws IllegalArgumentException saying what is accepted
         */
        static BackgroundShape parse(String text) {
            String[] parts = text.split(":", 2);
            int size;
            try {
                size = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : -1;
            } catch (NumberFormatException e) {
                size = -1;
            }
            BackgroundShape shape = new BackgroundShape(parts[0].strip(), size);
            boolean ok = switch (shape.kind) {
                case "spin" -> size >= 1 && size <= 1000;
                case "sgemm" -> size >= 256 && size <= 8192 && size % 16 == 0;
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException("bg must be spin:W (W waves, 1..1000) or sgemm:N (N 256..8192, a multiple of 16), not '"
                        + text + "'");
            }
            return shape;
        }

        String tag() {
            return kind + size;
        }
    }

    private GreenBench(boolean quick, BackgroundShape shape, Set<String> rows) {
        this.quick = quick;
        this.shape = shape;
        this.rows = rows;
        this.jobs = quick ? 100 : 1000;
        this.warmUp = quick ? 100 : 500;
        this.bgMillis = quick ? 1000 : 3000;
    }

    /** @param args {@code quick} for a short run, {@code full} or nothing for the full one; then {@code bg=…} and {@code rows=…} */
    public static void main(String[] args) throws Exception {
        GreenBench bench;
        try {
            bench = of(args);
        } catch (IllegalArgumentException e) {
            System.out.println("usage: GreenBench [quick|full] [bg=spin:W|sgemm:N] [rows=native,green,time,static,dynamic,shared,lv1]: "
                    + e.getMessage());
            System.exit(2);
            return;
        }
        CudaPlatform platform = CudaBenchmarks.platformOrExit();
        try (platform) {
            bench.run(platform);
        } finally {
            // also after a failure: the rows measured so far
            List<String> table = bench.table();
            System.out.println();
            table.forEach(System.out::println);
            write(table, bench.tableName());
        }
    }

    /** @return the table's file name: green-bench.txt for the default run, else named by the shape and the row groups */
    String tableName() {
        String name = "green-bench";
        if (!shape.equals(BackgroundShape.DEFAULT)) {
            name += "-" + shape.tag();
        }
        if (!rows.equals(ROW_GROUPS)) {
            name += "-" + String.join("-", new java.util.TreeSet<>(rows));
        }
        return name + ".txt";
    }

    /** @throws IllegalArgumentException for an argument it does not know, saying which */
    static GreenBench of(String... args) {
        boolean quick = false;
        BackgroundShape shape = BackgroundShape.DEFAULT;
        Set<String> rows = ROW_GROUPS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && (a.equals("quick") || a.equals("full"))) {
                quick = a.equals("quick");
            } else if (a.startsWith("bg=")) {
                shape = BackgroundShape.parse(a.substring(3));
            } else if (a.startsWith("rows=")) {
                rows = new HashSet<>(List.of(a.substring(5).split(",")));
                rows.removeIf(String::isBlank);
                Set<String> unknown = new HashSet<>(rows);
                unknown.removeAll(ROW_GROUPS);
                if (!unknown.isEmpty() || rows.isEmpty()) {
                    throw new IllegalArgumentException("rows takes " + String.join(",", new java.util.TreeSet<>(ROW_GROUPS))
                            + ", not '" + a.substring(5) + "'");
                }
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        return new GreenBench(quick, shape, Set.copyOf(rows));
    }

    private void run(CudaPlatform platform) throws InterruptedException {
        CudaGpu gpu = platform.gpu(0);
        sms = gpu.multiprocessors();
        header.add(Stats.f("GreenBench: a foreground against a saturating background on %s, one process, raw streams, then XQueues under HPF; %s; %s; %s",
                gpu.id(), LocalDate.now(), quick ? "QUICK run" : "full run", platform.describe()));
        header.add(Stats.f("  each foreground run: %d warm-up jobs (period/8 apart), then %d jobs at the period; latency host-observed, "
                + "first launch -> cuStreamSynchronize returned", warmUp, jobs));
        header.add("  background: " + describeBackground() + Stats.f("; batches of %d, 4-8 queued; kernels/s counted over the measured jobs",
                SpinBackground.BATCH));
        header.add("  row groups: " + String.join(",", new java.util.TreeSet<>(rows)));
        header.add("  xsched rows: the foreground's window is one job (a gate and its events per job), the background's 8/1 (a gate per kernel)");
        header.add("  \"native streams\": two streams of the primary context; in one context the block scheduler shares the SMs "
                + "between them (no time slices)");
        try (StockKernels kernels = StockKernels.load(gpu); GemmBuffers gemm = GemmBuffers.of(gpu, shape)) {
            this.gemm = gemm;
            ForegroundBench mlp = new ForegroundBench(gpu, null, kernels);
            try {
                foregrounds = List.of(
                        new Foreground("MLP: 3 x (SGEMM 64x512x512 + bias/ReLU), 6 kernels, every 4 ms", mlp::job, MLP_PERIOD_NANOS),
                        new Foreground(Stats.f("small: one spin kernel of %d us, %d blocks x %d threads, every 1 ms", SMALL_NANOS / 1000,
                                SMALL_BLOCKS, SMALL_THREADS), () -> List.of(kernels.spin(SMALL_NANOS, SMALL_BLOCKS, SMALL_THREADS)),
                                SMALL_PERIOD_NANOS));
                KernelLaunch bgKernel = background(kernels);
                sharedContext(gpu, bgKernel);
                if (rows.contains("green")) {
                    partitioned(gpu, kernels, bgKernel);
                }
                placedByPolicy(platform, kernels);
                CudaBenchmarks.progress("done");
            } finally {
                mlp.close();
            }
        }
    }

    /** The SGEMM background's matrices (none for a spin background); freed when the bench ends. */
    private record GemmBuffers(DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int n) implements AutoCloseable {
        static GemmBuffers of(CudaGpu gpu, BackgroundShape shape) {
            if (!shape.kind().equals("sgemm")) {
                return null;
            }
            long bytes = 4L * shape.size() * shape.size();
            DeviceBuffer a = gpu.allocate(bytes);
            DeviceBuffer b = gpu.allocate(bytes);
            DeviceBuffer c = gpu.allocate(bytes);
            // all ones: every product is finite, and the values do not change the kernel's time
            float[] ones = new float[shape.size() * shape.size()];
            java.util.Arrays.fill(ones, 1f);
            a.upload(ones);
            b.upload(ones);
            return new GemmBuffers(a, b, c, shape.size());
        }

        @Override
        public void close() {
            a.close();
            b.close();
            c.close();
        }
    }

    private GemmBuffers gemm;

    private String describeBackground() {
        if (shape.kind().equals("sgemm")) {
            int n = shape.size();
            return Stats.f("the stock SGEMM %dx%dx%d on the whole GPU: %d blocks of 16x16 threads", n, n, n, (n / 16) * (n / 16));
        }
        int waves = shape.size();
        return Stats.f("spin kernels of %d us on the whole GPU: %d blocks x %d threads (%d waves of 2 per SM), each block %.2f us",
                BG_KERNEL_NANOS / 1000, 2 * waves * sms, BG_THREADS, waves, BG_KERNEL_NANOS / (double) waves / 1000.0);
    }

    private KernelLaunch background(StockKernels kernels) {
        if (gemm != null) {
            return kernels.sgemm(gemm.a(), gemm.b(), gemm.c(), gemm.n(), gemm.n(), gemm.n());
        }
        int waves = shape.size();
        return kernels.spin(BG_KERNEL_NANOS / waves, 2 * waves * sms, BG_THREADS);
    }

    /** bg alone, fg alone, and both on streams of the primary context, without and with priorities. */
    private void sharedContext(CudaGpu gpu, KernelLaunch bgKernel) throws InterruptedException {
        int[] range = NativeStream.priorityRange(gpu);
        CudaBenchmarks.progress("bg alone, whole GPU");
        try (NativeStream bg = new NativeStream(gpu, 0)) {
            bgAloneWholeGpu = bgAlone(bg, bgKernel);
        }
        bgRows.add(new BgRow("bg alone, whole GPU", sms, (int) bgKernel.grid().volume(), bgAloneWholeGpu));
        for (Foreground fg : foregrounds) {
            CudaBenchmarks.progress("fg alone: " + fg.name());
            try (NativeStream f = new NativeStream(gpu, 0)) {
                Run alone = run(fg, f, null, null);
                fgAloneP50.put(fg.name(), Stats.median(alone.latency()));
                fgAloneP99.put(fg.name(), Stats.percentile(alone.latency(), 99));
                add(fg, "fg alone, whole GPU (baseline)", sms, 0, alone, Double.NaN);
            }
            if (!rows.contains("native")) {
                continue;
            }
            CudaBenchmarks.progress("native streams, equal priority: " + fg.name());
            try (NativeStream f = new NativeStream(gpu, 0); NativeStream b = new NativeStream(gpu, 0)) {
                add(fg, "native streams, equal priority", sms, sms, run(fg, f, b, bgKernel), bgAloneWholeGpu);
            }
            CudaBenchmarks.progress("stream priorities: " + fg.name());
            try (NativeStream f = new NativeStream(gpu, range[1]); NativeStream b = new NativeStream(gpu, range[0])) {
                add(fg, Stats.f("stream priorities (fg %d, bg %d)", range[1], range[0]), sms, sms, run(fg, f, b, bgKernel),
                        bgAloneWholeGpu);
            }
        }
    }

    /** For each reservation size: bg alone on the complement, fg alone on the reservation, and both. */
    private void partitioned(CudaGpu gpu, StockKernels kernels, KernelLaunch bgKernel) throws InterruptedException {
        SmPartitions partitions;
        try {
            partitions = SmPartitions.probe(gpu);
        } catch (CudaException e) {
            notes.add("no green rows: probing the SMs failed: " + e.getMessage());
            return;
        }
        header.add("  SM partitions: " + partitions);
        Optional<String> unsupported = partitions.unsupportedReason();
        if (unsupported.isPresent()) {
            notes.add("no green rows: " + unsupported.get());
            return;
        }
        SmGranularity granularity = partitions.granularity().orElseThrow();
        Set<Integer> measured = new HashSet<>();
        for (int asked : RESERVE) {
            int size;
            try {
                size = granularity.reservable(asked);
            } catch (IllegalArgumentException e) {
                notes.add("green " + asked + ": " + e.getMessage());
                continue;
            }
            if (!measured.add(size)) {
                notes.add(Stats.f("green %d: rounds to %d SMs, measured already", asked, size));
                continue;
            }
            CudaBenchmarks.progress("green: reserving " + asked + " SMs");
            try {
                Optional<SmPartitioning> opened = partitions.open(asked);
                if (opened.isEmpty()) {
                    notes.add("no more green rows: " + partitions.unsupportedReason().orElse("the driver refused a green context"));
                    return;
                }
                try (SmPartitioning p = opened.get()) {
                    partition(gpu, kernels, bgKernel, p);
                }
            } catch (CudaException | IllegalArgumentException e) {
                notes.add("green " + asked + ": failed: " + e.getMessage());
                System.err.println("green " + asked + " failed:");
                e.printStackTrace();
            }
        }
    }

    private void partition(CudaGpu gpu, StockKernels kernels, KernelLaunch bgKernel, SmPartitioning p) throws InterruptedException {
        int reserved = p.reserved().smCount();
        int complement = p.complement().smCount();
        notes.add(Stats.f("green %d: the driver gave reserved %d SMs + complement %d SMs", p.requested(), reserved, complement));
        CudaBenchmarks.progress(p.toString());
        try (NativeStream fgStream = NativeStream.over(gpu, p.reserved().streamHandle());
             NativeStream bgStream = NativeStream.over(gpu, p.complement().streamHandle())) {
            double bgHere = bgAlone(bgStream, bgKernel);
            bgRows.add(new BgRow(Stats.f("bg alone on complement %d (green %d)", complement, p.requested()), complement,
                    (int) bgKernel.grid().volume(), bgHere));
            notes.add(Stats.f("green %d: the complement's %d SMs are %.1f %% of the GPU's, the most a background confined to them "
                    + "can keep", p.requested(), complement, 100.0 * complement / sms));
            for (Foreground fg : foregrounds) {
                CudaBenchmarks.progress("fg alone on reserved " + reserved + ": " + fg.name());
                add(fg, Stats.f("fg alone on reserved %d (green %d)", reserved, p.requested()), reserved, 0,
                        run(fg, fgStream, null, null), Double.NaN);
                CudaBenchmarks.progress("green " + reserved + " | " + complement + ": " + fg.name());
                add(fg, Stats.f("green %d: fg reserved, bg complement", p.requested()), reserved, complement,
                        run(fg, fgStream, bgStream, bgKernel), bgHere);
                shared(gpu, p, fg, bgKernel);
            }
        }
    }

    /**
     * The reservation shared: the foreground on its partition, the background on the whole GPU
     * (the primary context's stream), with equal stream priorities and with the foreground's the
     * most urgent. Shows whether a partition's stream runs beside the primary context's at all, and
     * whether priorities order blocks across them, so the background need not leave the SMs.
     */
    private void shared(CudaGpu gpu, SmPartitioning p, Foreground fg, KernelLaunch bgKernel) throws InterruptedException {
        int reserved = p.reserved().smCount();
        int[] range = NativeStream.priorityRange(gpu);
        for (int priority : new int[] {range[0], range[1]}) {
            long handle = p.newStream(true, priority);
            try (NativeStream fgStream = NativeStream.over(gpu, handle); NativeStream bg = new NativeStream(gpu, range[0])) {
                String config = Stats.f("green %d: fg reserved (prio %d), bg whole (%d)", p.requested(), priority, range[0]);
                CudaBenchmarks.progress(config + ": " + fg.name());
                add(fg, config, reserved, sms, run(fg, fgStream, bg, bgKernel), bgAloneWholeGpu);
            } finally {
                CudaDriver.streamDestroy(handle);
            }
        }
    }

    /**
     * The same foregrounds and background as XQueues of the runtime, HPF with priorities 10 and 0:
     * time only (the device's level, stream gates where supported), then the foreground's
     * reservation placed by the policy, static (the split stays), dynamic (the split only while
     * the foreground is READY) and shared (the foreground on its partition at the most urgent
     * stream priority, the background on the whole GPU). The background's queue runs on whatever
     * the policy gives it.
     */
    private void placedByPolicy(CudaPlatform platform, StockKernels kernels) throws InterruptedException {
        if (rows.contains("time")) {
            policyRow(platform, kernels, "off", 0, true, null);
        }
        if (rows.contains("static")) {
            policyRow(platform, kernels, "static", RESERVE[0], false, null);
        }
        for (String placement : List.of("static", "dynamic", "shared")) {
            if (!rows.contains(placement)) {
                continue;
            }
            for (int reserve : RESERVE) {
                policyRow(platform, kernels, placement, reserve, true, null);
            }
        }
        if (rows.contains("lv1")) {
            for (int reserve : RESERVE) {
                policyRow(platform, kernels, "static", reserve, true, PreemptLevel.LAUNCH);
            }
        }
    }

    /**
     * One row per foreground: the foreground's window is one job (a gate and its events per job, as
     * an application would set it), the background's 8/1 (a gate per kernel, so a stop waits for one).
     *
     * @param withBackground false: the foreground alone through xsched, on its reservation (xsched's own cost)
     * @param fgLevel        the foreground queue's level (level 1: no gates; on its own SMs it is never stopped); null: the device's highest
     */
    private void policyRow(CudaPlatform platform, StockKernels kernels, String placement, int reserve, boolean withBackground,
                           PreemptLevel fgLevel) throws InterruptedException {
        LaunchConfig bgWindow = new LaunchConfig(8, 1);
        boolean off = placement.equals("off");
        String config = (off ? "xsched HPF, time only (Lv2 gates)" : Stats.f("xsched HPF, reserve %d, %s", reserve, placement))
                + (withBackground ? "" : ", fg alone") + (fgLevel == null ? "" : ", fg Lv" + fgLevel.number());
        for (Foreground fg : foregrounds) {
            int perJob = fg.jobs().get().size();
            LaunchConfig fgWindow = new LaunchConfig(perJob, perJob);
            CudaBenchmarks.progress(config + ": " + fg.name());
            try (EmbeddedXsched runtime = EmbeddedXsched.builder()
                    .policy("hpf", HighestPriorityFirst.withPlacement(placement, 0))
                    .backend(CudaBackends.over(platform)).build()) {
                List<LongFunction<Hint>> hints = off ? List.of()
                        : List.of(id -> Hint.Reservation.parse(HintTarget.queue(id), Integer.toString(reserve)));
                ForegroundBench.Run r = ForegroundBench.xschedRun(runtime, fg.jobs(), warmUp, jobs, fg.periodNanos(),
                        withBackground ? () -> background(kernels) : null, fgWindow, bgWindow, hints, fgLevel);
                add(fg, config, off ? sms : reserve, !withBackground ? 0 : placement.equals("static") ? sms - reserve : sms,
                        new Run(r.latency(), r.bgPerSecond()), bgAloneWholeGpu);
            } catch (RuntimeException e) {
                notes.add(config + ", " + fg.name() + ": failed: " + e);
                e.printStackTrace();
            }
        }
    }

    /**
     * Runs the foreground on {@code fgStream}, with a background on {@code bgStream} when given.
     *
     * @return the measured jobs' latencies and the background's rate during them
     */
    private Run run(Foreground fg, NativeStream fgStream, NativeStream bgStream, KernelLaunch bgKernel) throws InterruptedException {
        try (SpinBackground bg = bgStream == null ? null : SpinBackground.start(bgStream, bgKernel)) {
            if (bg != null) {
                Thread.sleep(BG_RAMP_MILLIS);
            }
            fgStream.bind();
            List<KernelLaunch> job = fg.jobs().get();
            double[] latency = new double[jobs];
            long bg0 = 0;
            long start = 0;
            for (int j = -warmUp; j < jobs; j++) {
                if (j == 0) {
                    if (bg != null) {
                        bg.requireRunning();
                        bg0 = bg.completed();
                    }
                    start = System.nanoTime();
                }
                long t0 = System.nanoTime();
                for (KernelLaunch k : job) {
                    fgStream.launch(k);
                }
                fgStream.synchronize();
                long t1 = System.nanoTime();
                if (j >= 0) {
                    latency[j] = (t1 - t0) / 1e6;
                    Stats.sleepNanos(fg.periodNanos() - (t1 - t0));
                } else {
                    Stats.sleepNanos(fg.periodNanos() / 8);
                }
            }
            double rate = Double.NaN;
            if (bg != null) {
                rate = (bg.completed() - bg0) / ((System.nanoTime() - start) / 1e9);
                bg.requireRunning();
            }
            return new Run(latency, rate);
        }
    }

    /** @return the background's kernels/s on {@code stream} with nothing else, after a short ramp */
    private double bgAlone(NativeStream stream, KernelLaunch kernel) throws InterruptedException {
        try (SpinBackground bg = SpinBackground.start(stream, kernel)) {
            Thread.sleep(300);
            bg.requireRunning();
            long c0 = bg.completed();
            long t0 = System.nanoTime();
            Thread.sleep(bgMillis);
            long c1 = bg.completed();
            long t1 = System.nanoTime();
            bg.requireRunning();
            return (c1 - c0) / ((t1 - t0) / 1e9);
        }
    }

    private void add(Foreground fg, String config, int fgSms, int bgSms, Run run, double bgAloneHere) {
        fgRows.computeIfAbsent(fg.name(), k -> new ArrayList<>()).add(new FgRow(config, fgSms, bgSms, Stats.median(run.latency()),
                Stats.percentile(run.latency(), 99), run.bgPerSecond(), bgAloneHere));
    }

    private List<String> table() {
        List<String> table = new ArrayList<>(header);
        notes.forEach(n -> table.add("  " + n));
        table.add("");
        table.add(Stats.f("Background alone (kernels/s over %.0f s)", bgMillis / 1e3));
        table.add(Stats.f("%-46s %6s %6s %11s %12s", "config", "SMs", "grid", "kernels/s", "% bg alone"));
        for (BgRow r : bgRows) {
            table.add(Stats.f("%-46s %6d %6d %11.0f %11.1f%%", r.config(), r.sms(), r.gridBlocks(), r.perSecond(),
                    100 * r.perSecond() / bgAloneWholeGpu));
        }
        for (Foreground fg : foregrounds) {
            List<FgRow> rows = fgRows.getOrDefault(fg.name(), List.of());
            if (rows.isEmpty()) {
                continue;
            }
            double p50Alone = fgAloneP50.getOrDefault(fg.name(), Double.NaN);
            double p99Alone = fgAloneP99.getOrDefault(fg.name(), Double.NaN);
            table.add("");
            table.add("Foreground " + fg.name() + "; x = over fg alone, whole GPU; bg % of bg alone (whole GPU) and of bg alone on its SMs");
            table.add(Stats.f("%-42s %6s %6s %9s %7s %9s %7s %9s %7s %7s", "config", "fg SMs", "bg SMs", "p50 ms", "p50 x",
                    "p99 ms", "p99 x", "bg k/s", "bg %", "bg % its"));
            for (FgRow r : rows) {
                boolean bg = !Double.isNaN(r.bgPerSecond());
                table.add(Stats.f("%-42s %6d %6s %9.4f %6.2fx %9.4f %6.2fx %9s %7s %7s", r.config(), r.fgSms(),
                        bg ? Integer.toString(r.bgSms()) : "-", r.p50(), r.p50() / p50Alone, r.p99(), r.p99() / p99Alone,
                        bg ? Stats.f("%.0f", r.bgPerSecond()) : "-",
                        bg ? Stats.f("%.1f%%", 100 * r.bgPerSecond() / bgAloneWholeGpu) : "-",
                        bg ? Stats.f("%.1f%%", 100 * r.bgPerSecond() / r.bgAloneHere()) : "-"));
            }
        }
        return table;
    }

    private static void write(List<String> table, String name) {
        String out = System.getenv("OUT");
        if (out == null || out.isBlank()) {
            return;
        }
        Path file = Path.of(out, name);
        try {
            Files.write(file, table);
        } catch (IOException e) {
            System.out.println("cannot write " + file + ": " + e.getMessage());
        }
    }
}
