package xsched.backend.cuda.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;
import xsched.spi.hal.Backend;

/**
 * The live upgrade under load on cuda:0: a periodic foreground (the MLP job of {@link
 * ForegroundBench}, priority 10) against a many-wave background of interruptible spin kernels
 * (priority 0) under HPF, first with the CUDA backend at level 1, then, without a restart, with
 * that backend swapped for one with stream gates — what a configuration change or an update of
 * the bundle does — which raises both running queues to level 3. Prints the foreground's latency in
 * windows of 250 ms around the swap, the p99 before, in the first second after and later, how long
 * the swap took, the background's rate before and after, and that every command of both queues
 * ended COMPLETED.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... xsched.backend.cuda.bench.UpgradeBench [quick]}
 */
public final class UpgradeBench {
    private static final long PERIOD_NANOS = 4_000_000;
    private static final long WINDOW_NANOS = 250_000_000;
    private static final long BG_BLOCK_NANOS = 25_000;
    private static final int BG_WAVES = 16;
    private static final int BG_BLOCKS_PER_SM = 2;
    private static final int BG_THREADS = 1024;
    private static final int BG_OUTSTANDING = 16;

    /** One foreground job: when it ended, relative to the swap, and how long it took. */
    private record Job(long endNanos, double latencyMs) {
    }

    private UpgradeBench() {
    }

    /** @param args {@code quick} for a short run */
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        long beforeNanos = quick ? 1_000_000_000L : 3_000_000_000L;
        long afterNanos = quick ? 2_000_000_000L : 4_000_000_000L;
        int warmUp = quick ? 300 : 1500;
        CudaPlatform platform = CudaBenchmarks.platformOrExit();
        List<String> table = new ArrayList<>();
        try (platform) {
            CudaGpu gpu = platform.gpu(0);
            if (!QueueAccess.gateSupport(gpu)) {
                System.out.println("no benchmark: " + gpu.id() + " has no stream gates: " + gpu.gateUnsupportedReason().orElse("?"));
                System.exit(2);
                return;
            }
            Backend levelOne = CudaBackends.over(platform, false);
            try (EmbeddedXsched runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).backend(levelOne).build();
                 StockKernels plain = StockKernels.load(gpu);
                 StockKernels interruptible = StockKernels.load(gpu, StockKernels.Form.INTERRUPTIBLE)) {
                ForegroundBench mlp = new ForegroundBench(gpu, runtime, plain);
                double aloneP99;
                try {
                    CudaBenchmarks.progress("upgrade: foreground alone on a raw stream");
                    aloneP99 = Stats.percentile(mlp.nativeRun(quick ? 300 : 1000, PERIOD_NANOS, null).latency(), 99);
                    run(runtime, levelOne, CudaBackends.over(platform, true), mlp, interruptible, warmUp, beforeNanos, afterNanos,
                            aloneP99, table);
                } finally {
                    mlp.close();
                }
            }
            table.addFirst(Stats.f("UpgradeBench: live upgrade Lv1 -> gates under load, HPF, one process; %s; %s; %s", LocalDate.now(),
                    quick ? "QUICK run" : "full run", platform.describe()));
        }
        System.out.println();
        table.forEach(System.out::println);
        String out = System.getenv("OUT");
        if (out != null && !out.isBlank()) {
            try {
                Files.write(Path.of(out, "upgrade-bench.txt"), table);
            } catch (IOException e) {
                System.out.println("cannot write " + out + "/upgrade-bench.txt: " + e.getMessage());
            }
        }
    }

    private static void run(EmbeddedXsched runtime, Backend levelOne, Backend gates, ForegroundBench mlp, StockKernels bgKernels,
                            int warmUp, long beforeNanos, long afterNanos, double aloneP99, List<String> table) throws Exception {
        CudaGpu gpu = bgKernels.gpu();
        int bgBlocks = BG_WAVES * BG_BLOCKS_PER_SM * gpu.multiprocessors();
        XQueue fg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("fg")
                .withLaunch(new LaunchConfig(ForegroundBench.JOB_COMMANDS, ForegroundBench.JOB_COMMANDS)));
        XQueue bg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("bg").withLaunch(new LaunchConfig(2, 1)));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 10));
        runtime.hint(new Hint.Priority(HintTarget.queue(bg.id()), 0));
        String levelsBefore = "fg Lv" + fg.level().number() + ", bg Lv" + bg.level().number();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread submitter = Thread.ofPlatform().name("upgrade-bg").start(() -> {
            while (running.get()) {
                if (bg.submitted() - bg.finished() < BG_OUTSTANDING) {
                    bg.submit(bgKernels.spin(BG_BLOCK_NANOS, bgBlocks, BG_THREADS));
                } else {
                    Stats.sleepNanos(100_000);
                }
            }
        });
        List<Job> jobs = new ArrayList<>();
        long fgCommands = 0;
        long fgCompleted = 0;
        AtomicLong swapStart = new AtomicLong();
        AtomicLong swapEnd = new AtomicLong();
        AtomicLong bgAtSwap = new AtomicLong();
        Thread swapper = null;
        long bgBefore0 = 0;
        long measureStart = 0;
        try {
            CudaBenchmarks.progress("upgrade: " + warmUp + " warm-up jobs at level 1");
            for (int j = 0; j < warmUp; j++) {
                fgCompleted += job(fg, mlp) == Outcome.COMPLETED ? ForegroundBench.JOB_COMMANDS : 0;
                fgCommands += ForegroundBench.JOB_COMMANDS;
            }
            measureStart = System.nanoTime();
            bgBefore0 = bg.finished();
            long swapAt = measureStart + beforeNanos;
            swapper = Thread.ofPlatform().name("upgrade-swap").start(() -> {
                Stats.sleepNanos(swapAt - System.nanoTime());
                bgAtSwap.set(bg.finished());
                swapStart.set(System.nanoTime());
                runtime.removeBackend(levelOne);
                runtime.addBackend(gates);
                swapEnd.set(System.nanoTime());
            });
            CudaBenchmarks.progress("upgrade: measuring; the swap comes after " + beforeNanos / 1_000_000 + " ms");
            long end = swapAt + afterNanos;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                Outcome outcome = job(fg, mlp);
                long t1 = System.nanoTime();
                fgCommands += ForegroundBench.JOB_COMMANDS;
                fgCompleted += outcome == Outcome.COMPLETED ? ForegroundBench.JOB_COMMANDS : 0;
                jobs.add(new Job(t1, (t1 - t0) / 1e6));
                Stats.sleepNanos(PERIOD_NANOS - (t1 - t0));
            }
            swapper.join();
        } finally {
            running.set(false);
            submitter.join();
            if (swapper != null) {
                swapper.join();
            }
        }
        long bgAfterEnd = bg.finished();
        long measureEnd = System.nanoTime();
        bg.awaitAll();
        fg.awaitAll();
        String levelsAfter = "fg Lv" + fg.level().number() + ", bg Lv" + bg.level().number();
        long bgSubmitted = bg.submitted();
        long bgFinished = bg.finished();
        fg.close();
        bg.close();

        long swap = swapStart.get();
        table.add(Stats.f("foreground: %s, every %.0f ms, priority 10, window %d/%d; %d warm-up jobs at level 1 first",
                "3-layer MLP (SGEMM 64x512x512 + bias/ReLU)", PERIOD_NANOS / 1e6, ForegroundBench.JOB_COMMANDS,
                ForegroundBench.JOB_COMMANDS, warmUp));
        table.add(Stats.f("background: interruptible spin, %d waves of %.0f us blocks (%d x %d), priority 0, window 2/1, %d outstanding",
                BG_WAVES, BG_BLOCK_NANOS / 1e3, bgBlocks, BG_THREADS, BG_OUTSTANDING));
        table.add(Stats.f("swap (remove the level-1 backend, add the one with gates) took %.1f ms; levels before: %s; after: %s",
                (swapEnd.get() - swap) / 1e6, levelsBefore, levelsAfter));
        table.add(Stats.f("foreground alone on a raw stream: p99 %.3f ms", aloneP99));
        table.add("");
        table.add(Stats.f("%-22s %6s %10s %10s %11s", "window (s from swap)", "jobs", "p50 ms", "p99 ms", "p99/alone"));
        for (long from = measureStart - swap; from < measureEnd - swap; from += WINDOW_NANOS) {
            double[] l = latencies(jobs, swap, from, from + WINDOW_NANOS);
            if (l.length > 0) {
                table.add(Stats.f("[%+5.2f, %+5.2f)        %6d %10.3f %10.3f %10.2fx", from / 1e9, (from + WINDOW_NANOS) / 1e9, l.length,
                        Stats.median(l), Stats.percentile(l, 99), Stats.percentile(l, 99) / aloneP99));
            }
        }
        double[] before = latencies(jobs, swap, Long.MIN_VALUE, 0);
        double[] firstSecond = latencies(jobs, swap, 0, 1_000_000_000L);
        double[] later = latencies(jobs, swap, 1_000_000_000L, Long.MAX_VALUE);
        double bgBeforeRate = (bgAtSwap.get() - bgBefore0) / ((swap - measureStart) / 1e9);
        double bgAfterRate = (bgAfterEnd - bgAtSwap.get()) / ((measureEnd - swap) / 1e9);
        table.add("");
        table.add(Stats.f("%-36s %6s %10s %10s %11s", "period", "jobs", "p50 ms", "p99 ms", "p99/alone"));
        for (Object[] row : new Object[][] {{"level 1, before the swap", before}, {"first second after the swap", firstSecond},
                {"after that (level 3)", later}}) {
            double[] l = (double[]) row[1];
            table.add(l.length == 0 ? Stats.f("%-36s %6d", row[0], 0) : Stats.f("%-36s %6d %10.3f %10.3f %10.2fx", row[0], l.length,
                    Stats.median(l), Stats.percentile(l, 99), Stats.percentile(l, 99) / aloneP99));
        }
        table.add(Stats.f("background kernels/s: %.0f before the swap, %.0f after", bgBeforeRate, bgAfterRate));
        table.add(Stats.f("commands: foreground %d of %d COMPLETED; background %d submitted, %d ended%s", fgCompleted, fgCommands,
                bgSubmitted, bgFinished, bgSubmitted == bgFinished ? "" : " (NOT ALL)"));
        if (before.length > 0 && later.length > 0) {
            double b = Stats.percentile(before, 99);
            long settled = settledAfter(jobs, swap, measureEnd - swap, b);
            table.add(Stats.f("verdict: foreground p99 %.3f ms at level 1, %.3f ms from 1 s after the swap; every 250 ms window's p99 is "
                    + "below level 1's %s", b, Stats.percentile(later, 99), settled < 0 ? "NOT from any window on (not improved)"
                    : Stats.f("from %.2f s after the swap on (%s)", settled / 1e9,
                    settled < 1_000_000_000L ? "improved within a second" : "NOT within a second")));
        }
    }

    /**
     * @return the start (ns from the swap) of the first window after the swap from which on every
     *         window's p99 is below {@code p99Before}, or -1 when the last one's is not
     */
    private static long settledAfter(List<Job> jobs, long swap, long until, double p99Before) {
        long settled = -1;
        for (long from = 0; from < until; from += WINDOW_NANOS) {
            double[] l = latencies(jobs, swap, from, from + WINDOW_NANOS);
            if (l.length > 0 && Stats.percentile(l, 99) >= p99Before) {
                settled = -1;
            } else if (settled < 0) {
                settled = from;
            }
        }
        return settled;
    }

    /** Submits one foreground job and waits for it: COMPLETED when all of its commands completed. */
    private static Outcome job(XQueue fg, ForegroundBench mlp) throws InterruptedException {
        List<KernelLaunch> commands = mlp.job();
        long[] seqs = new long[commands.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = fg.submit(commands.get(i));
        }
        fg.await(seqs[seqs.length - 1]);
        for (long seq : seqs) {
            if (fg.outcome(seq) != Outcome.COMPLETED) {
                return fg.outcome(seq);
            }
        }
        return Outcome.COMPLETED;
    }

    /** @return the latencies of the jobs that ended in [from, to) relative to the swap */
    private static double[] latencies(List<Job> jobs, long swap, long from, long to) {
        return jobs.stream().filter(j -> j.endNanos() - swap >= from && j.endNanos() - swap < to).mapToDouble(Job::latencyMs).toArray();
    }
}
