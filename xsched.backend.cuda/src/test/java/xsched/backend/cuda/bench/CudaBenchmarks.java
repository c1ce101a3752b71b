package xsched.backend.cuda.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * The CUDA backend's benchmarks, side by side in one run on cuda:0: level 1 and level 2 (stream
 * gates) overhead against direct launches, preemption latency against the threshold and at level 1
 * vs level 2, foreground latency and background throughput against a saturating background
 * (native, native with stream priorities, xsched HPF at level 1 and level 2), and the launch
 * worker's CPU time. Level 1 runs in a runtime whose backend has gates off, level 2 in a second one
 * with gates on, both in this JVM over one platform. Prints a table last. {@code quick} as the first argument runs a short
 * version to validate the setup.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... xsched.backend.cuda.bench.CudaBenchmarks [quick]}
 */
public final class CudaBenchmarks {
    private static final long START = System.nanoTime();

    private CudaBenchmarks() {
    }

    /** @param args {@code quick} for a short run */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "full";
        boolean levelsOnly = mode.startsWith("levels");
        boolean quick = mode.equals("quick") || mode.equals("levels-quick");
        boolean frontDoorOnly = mode.equals("frontdoor");
        CudaPlatform platform = platformOrExit();
        List<String> table = new ArrayList<>();
        try (platform) {
            CudaGpu gpu = platform.gpu(0);
            boolean gates = QueueAccess.gateSupport(gpu);
            try (EmbeddedXsched runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst())
                    .backend(CudaBackends.over(platform, false)).build();
                 EmbeddedXsched gateRuntime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst())
                    .backend(CudaBackends.over(platform, true)).build();
                 StockKernels kernels = StockKernels.load(gpu)) {
                table.add(Stats.f("xsched CUDA benchmarks (Lv1, and Lv2 by stream gates%s), %s, %s, %s",
                        gates ? "" : ": NOT SUPPORTED here, " + gpu.gateUnsupportedReason().orElse(""), LocalDate.now(),
                        platform.describe(), (quick ? "QUICK run" : frontDoorOnly ? "front door only" : "full run")
                                + (levelsOnly ? ", levels only" : "")));
                EmbeddedXsched lv2 = gates ? gateRuntime : null;
                if (gates && !frontDoorOnly) {
                    try (LevelBench levels = new LevelBench(platform, gpu, kernels)) {
                        progress("levels: overhead");
                        levels.overhead(runtime, gateRuntime, quick, table);
                        progress("levels: preemption latency");
                        levels.latency(quick, table);
                        progress("levels: foreground vs many-wave background");
                        levels.foreground(runtime, gateRuntime, quick, table);
                        table.add("(" + levels.guardianReport() + ")");
                    }
                }
                if (levelsOnly) {
                    progress("done (levels only)");
                } else if (!frontDoorOnly) {
                    progress("overhead");
                    overhead(gpu, runtime, lv2, kernels, quick, table);
                    progress("preemption latency");
                    latency(gpu, platform, kernels, quick, table);
                    if (gates) {
                        progress("preemption latency, Lv1 vs Lv2");
                        gateLatency(gpu, platform, kernels, quick, table);
                    }
                }
                if (!levelsOnly) {
                    progress("front door");
                    frontDoor(gpu, runtime, lv2, kernels, quick, table);
                }
                if (!levelsOnly && !frontDoorOnly) {
                    progress("foreground vs background");
                    foreground(gpu, runtime, lv2, kernels, quick, table);
                }
                progress("done");
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        String out = System.getenv("OUT");
        if (out != null && !out.isBlank()) {
            try {
                Files.write(Path.of(out, "bench-table-" + platform.hostWait().name().toLowerCase(java.util.Locale.ROOT) + ".txt"), table);
            } catch (IOException e) {
                System.out.println("cannot write " + out + "/bench-table.txt: " + e.getMessage());
            }
        }
    }

    private static void overhead(CudaGpu gpu, EmbeddedXsched runtime, EmbeddedXsched gateRuntime, StockKernels k, boolean quick,
                                 List<String> table) throws InterruptedException {
        OverheadBench bench = new OverheadBench(gpu, runtime, gateRuntime, quick ? 1 : 3);
        double scale = quick ? 0.1 : 1.0;
        List<OverheadBench.Result> results = new ArrayList<>();
        long[] nanos = {10_000, 100_000, 1_000_000};
        int[] counts = {30_000, 4_000, 400};
        for (int i = 0; i < nanos.length; i++) {
            long ns = nanos[i];
            int n = (int) (counts[i] * scale);
            results.add(bench.run("spin " + (ns >= 1_000_000 ? ns / 1_000_000 + " ms" : ns / 1000 + " us"),
                    () -> OverheadBench.repeat(n, () -> k.spin(ns, 1, 32))));
        }
        int iterations = quick ? 20 : 300;
        try (LevelBench.Mlp mlp = new LevelBench.Mlp(gpu)) {
            results.add(bench.run("MLP 4x(GEMM 256x1024x1024 + bias/ReLU)", () -> mlp.chain(k, iterations)));
        }
        table.add("");
        table.add("Lv1 overhead vs direct launches (one stream, same kernels and order; median of " + (quick ? 1 : 3)
                + "; threshold 16, batch 8)");
        table.add(Stats.f("%-40s %7s %11s %11s %9s %15s %15s", "workload", "cmds", "direct ms", "xsched ms", "overhead",
                "worker CPU ms/s", "direct CPU ms/s"));
        for (OverheadBench.Result r : results) {
            table.add(Stats.f("%-40s %7d %11.2f %11.2f %8.2f%% %15.0f %15.0f", r.workload(), r.commands(), r.directMs(),
                    r.xschedMs(), r.overheadPercent(), r.workerCpuMsPerS(), r.directCpuMsPerS()));
        }
        if (gateRuntime != null) {
            table.add("");
            table.add("Lv2 gate overhead: the same commands through a gated queue (a cuStreamWaitValue32 gate + started/end events "
                    + "per batch of 8), vs direct and vs Lv1; medians of " + (quick ? 1 : 3));
            table.add(Stats.f("%-40s %7s %11s %11s %11s %10s %10s", "workload", "cmds", "direct ms", "Lv1 ms", "Lv2 ms",
                    "Lv2/direct", "Lv2/Lv1"));
            for (OverheadBench.Result r : results) {
                table.add(Stats.f("%-40s %7d %11.2f %11.2f %11.2f %9.2f%% %9.2f%%", r.workload(), r.commands(), r.directMs(),
                        r.xschedMs(), r.gateMs(), r.gateOverheadPercent(), r.gateOverLv1Percent()));
            }
        }
    }

    private static void gateLatency(CudaGpu gpu, CudaPlatform platform, StockKernels k, boolean quick, List<String> table)
            throws InterruptedException {
        GateLatencyBench bench = new GateLatencyBench(gpu);
        int trials = quick ? 5 : 30;
        LaunchConfig window = LaunchConfig.DEFAULT;
        List<GateLatencyBench.Result> rows = new ArrayList<>();
        // 16/8: a gate (and a sync point) per 8 commands; 16/1: per command, so a stop waits for one kernel
        LaunchConfig perCommand = new LaunchConfig(16, 1);
        for (long ns : new long[] {500_000, 20_000}) {
            String kernels = ns >= 100_000 ? ns / 1e6 + " ms kernels" : ns / 1000 + " us kernels back to back";
            Supplier<KernelLaunch> spin = () -> k.spin(ns, 1, 32);
            for (LaunchConfig w : List.of(window, perCommand)) {
                String shape = w.describe();
                rows.add(bench.run(CudaBackends.over(platform, false), PreemptLevel.LAUNCH, "Lv1 " + shape, kernels, spin, ns, trials, w));
                rows.add(bench.run(CudaBackends.over(platform, true), PreemptLevel.DEACTIVATE, "Lv2 gate " + shape, kernels, spin, ns,
                        trials, w));
            }
        }
        GateLatencyBench.addTable(table, Stats.f("Preemption latency, Lv1 vs Lv2: suspend() -> nothing of the queue on the GPU (Lv1: "
                + "in-flight reads 0; Lv2: suspend() returned, the batch past its gate ended, the rest held); %d trials, queue window "
                + "as given (threshold/batch; a gate per batch), kept full", trials), rows, 32);
    }

    /** @return the CUDA platform; where there is none, says why and exits with status 2 (no benchmark) */
    static CudaPlatform platformOrExit() {
        try {
            return CudaPlatform.open();
        } catch (Exception e) {
            System.out.println("no benchmark: " + e.getMessage());
            System.exit(2);
            throw new IllegalStateException("unreachable", e);
        }
    }

    static void progress(String what) {
        System.out.printf(java.util.Locale.ROOT, "[%8.3f s] %s%n", (System.nanoTime() - START) / 1e9, what);
        System.out.flush();
    }

    private static void latency(CudaGpu gpu, CudaPlatform platform, StockKernels k, boolean quick, List<String> table)
            throws InterruptedException {
        PreemptionLatencyBench bench = new PreemptionLatencyBench(gpu, CudaBackends.over(platform, false), k);
        table.add("");
        table.add("Lv1 preemption latency: suspend -> in-flight work has left the GPU (0.5 ms kernels, batch = threshold/2)");
        table.add(Stats.f("%-10s %6s %10s %10s %20s", "threshold", "batch", "mean ms", "max ms", "threshold x kernel"));
        for (int threshold : new int[] {1, 2, 4, 8, 16}) {
            PreemptionLatencyBench.Result r = bench.run(threshold, 500_000, quick ? 3 : 10);
            progress(r.toString());
            table.add(Stats.f("%-10d %6d %10.3f %10.3f %17.1f ms", r.threshold(), r.batch(), r.meanMs(), r.maxMs(), r.expectedMs()));
        }
    }

    private static void frontDoor(CudaGpu gpu, EmbeddedXsched runtime, EmbeddedXsched gateRuntime, StockKernels k, boolean quick,
                                  List<String> table) throws InterruptedException {
        ForegroundBench jobs = new ForegroundBench(gpu, runtime, k);
        FrontDoorBench bench = new FrontDoorBench(gpu, runtime, jobs);
        int measured = quick ? 50 : 500;
        int warm = quick ? 300 : ForegroundBench.WARM_UP_JOBS;
        long period = 4_000_000;
        LaunchConfig perJob = new LaunchConfig(ForegroundBench.JOB_COMMANDS, ForegroundBench.JOB_COMMANDS);
        List<FrontDoorBench.Result> rows = new ArrayList<>();
        List<String> gateTables = new ArrayList<>();
        try {
            rows.add(bench.nativeRun("native, stream sync, 10 warm-up jobs", 10, measured, period, false, false));
            rows.add(bench.xschedRun("xsched 16/8, 10 warm-up jobs", 10, measured, period, LaunchConfig.DEFAULT));
            rows.add(bench.nativeRun("native, stream sync", warm, measured, period, false, false));
            rows.add(bench.nativeRun("native, event record + sync", warm, measured, period, true, false));
            rows.add(bench.nativeRun("native, stream sync, fresh commands", warm, measured, period, false, true));
            rows.add(bench.xschedRun("xsched 16/8", warm, measured, period, LaunchConfig.DEFAULT));
            rows.add(bench.xschedRun("xsched 6/6", warm, measured, period, perJob));
            if (gateRuntime != null) {
                QueueOptions gated = QueueOptions.defaults().withLaunch(perJob);
                rows.add(bench.xschedRun(gateRuntime, "xsched 6/6 gated, Lv3", warm, measured, period, gated));
                rows.add(bench.xschedRun(gateRuntime, "xsched 6/6 gated, queue at Lv1", warm, measured, period,
                        gated.withLevel(PreemptLevel.LAUNCH)));
            }
            rows.add(bench.nativeRun("native, stream sync (again)", warm, measured, period, false, false));
            if (gateRuntime != null) {
                GateCostBench.addTables(gpu, jobs, k, quick, gateTables);
            }
        } finally {
            jobs.close();
        }
        double ref = rows.get(2).p50Ms();
        double refP99 = rows.get(2).p99Ms();
        table.add("");
        table.add(Stats.f("Front door: the foreground job alone (6 kernels, then wait for the last; every %.0f ms, %d jobs; "
                + "%d jobs back to back first unless said), issue = launching/submitting the 6, wait = until the last is known done",
                period / 1e6, measured, warm));
        table.add(Stats.f("%-38s %8s %8s %8s %8s %9s %9s %9s %9s", "config", "p50 ms", "p99 ms", "p50/ref", "p99/ref",
                "issue p50", "wait p50", "issue p99", "wait p99"));
        for (FrontDoorBench.Result r : rows) {
            table.add(Stats.f("%-38s %8.4f %8.4f %7.2fx %7.2fx %9.4f %9.4f %9.4f %9.4f", r.config(), r.p50Ms(), r.p99Ms(),
                    r.p50Ms() / ref, r.p99Ms() / refP99, r.issueP50Ms(), r.waitP50Ms(), r.issueP99Ms(), r.waitP99Ms()));
        }
        table.add("(ref: \"native, stream sync\" after the same warm-up)");
        table.addAll(gateTables);
    }

    private static void foreground(CudaGpu gpu, EmbeddedXsched runtime, EmbeddedXsched gateRuntime, StockKernels k, boolean quick,
                                   List<String> table) throws InterruptedException {
        ForegroundBench bench = new ForegroundBench(gpu, runtime, k);
        int jobs = quick ? 30 : 300;
        long period = 4_000_000;
        long bgKernel = 100_000;
        LaunchConfig byDefault = LaunchConfig.DEFAULT;
        LaunchConfig perJob = new LaunchConfig(ForegroundBench.JOB_COMMANDS, ForegroundBench.JOB_COMMANDS);
        LaunchConfig bgWindow = new LaunchConfig(2, 1);
        try {
            ForegroundBench.Run nativeAlone = bench.nativeRun(jobs, period, false, false, bgKernel);
            ForegroundBench.Run nativeBg = bench.nativeRun(jobs, period, true, false, bgKernel);
            ForegroundBench.Run nativePrio = bench.nativeRun(jobs, period, true, true, bgKernel);
            ForegroundBench.Run xschedAlone = bench.xschedRun(jobs, period, false, bgKernel, byDefault);
            ForegroundBench.Run xschedBg = bench.xschedRun(jobs, period, true, bgKernel, byDefault);
            ForegroundBench.Run tunedAlone = bench.xschedRun(jobs, period, false, bgKernel, perJob);
            ForegroundBench.Run tunedBg = bench.xschedRun(jobs, period, true, bgKernel, perJob);
            ForegroundBench.Run gateBg = null;
            ForegroundBench.Run gateWideBg = null;
            if (gateRuntime != null) {
                gateBg = bench.xschedRun(gateRuntime, jobs, period, true, bgKernel, perJob, bgWindow);
                gateWideBg = bench.xschedRun(gateRuntime, jobs, period, true, bgKernel, perJob, LaunchConfig.DEFAULT);
            }
            double nativeRef = Stats.percentile(nativeAlone.latency(), 99);
            double xschedRef = Stats.percentile(xschedAlone.latency(), 99);
            double tunedRef = Stats.percentile(tunedAlone.latency(), 99);
            table.add("");
            table.add(Stats.f("Foreground (3-layer MLP, batch 64, width 512, every %.0f ms, %d jobs after %d back to back) vs "
                    + "background (%.0f us spin kernels on every SM; xsched bg window 2/1 unless said); bg k/s = background "
                    + "kernels completed per second during the measured jobs", period / 1e6, jobs,
                    ForegroundBench.WARM_UP_JOBS, bgKernel / 1e3));
            table.add(Stats.f("%-50s %10s %10s %15s %13s %9s", "config", "fg p50 ms", "fg p99 ms", "p99/standalone", "p99/native",
                    "bg k/s"));
            String tuned = "fg threshold = batch = " + ForegroundBench.JOB_COMMANDS;
            List<ForegroundBench.Result> rows = new ArrayList<>(List.of(
                    ForegroundBench.result("native, fg alone (standalone)", nativeAlone, nativeRef, nativeRef),
                    ForegroundBench.result("native, 2 streams equal priority", nativeBg, nativeRef, nativeRef),
                    ForegroundBench.result("native, CUDA stream priorities (fg high)", nativePrio, nativeRef, nativeRef),
                    ForegroundBench.result("xsched, fg alone (standalone), fg 16/8", xschedAlone, xschedRef, nativeRef),
                    ForegroundBench.result("xsched HPF Lv1, fg 16/8", xschedBg, xschedRef, nativeRef),
                    ForegroundBench.result("xsched, fg alone (standalone), " + tuned, tunedAlone, tunedRef, nativeRef),
                    ForegroundBench.result("xsched HPF Lv1, " + tuned, tunedBg, tunedRef, nativeRef)));
            if (gateBg != null) {
                rows.add(ForegroundBench.result("xsched HPF Lv2 (gate), " + tuned, gateBg, tunedRef, nativeRef));
                rows.add(ForegroundBench.result("xsched HPF Lv2 (gate), " + tuned + ", bg 16/8", gateWideBg, tunedRef, nativeRef));
            }
            for (ForegroundBench.Result r : rows) {
                table.add(Stats.f("%-50s %10.3f %10.3f %14.2fx %12.2fx %9.0f", r.config(), r.p50Ms(), r.p99Ms(),
                        r.p99OverStandalone(), r.p99OverNative(), r.bgPerSecond()));
            }
        } finally {
            bench.close();
        }
    }
}
