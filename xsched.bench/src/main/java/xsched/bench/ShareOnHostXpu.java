package xsched.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.up.UtilizationPartition;

/**
 * Share accuracy of the utilization-partition policy ({@code up}) in the real core on the host
 * XPU: two saturating queues with utilization hints 75 and 25; prints the share of device time
 * each got, measured as the CPU time the device engine thread spent in each queue's blocks (so
 * that other load on the machine skews it less than wall time would). The goal is 75 ± 3 %. The
 * figure depends on the machine and its load, which is why it is a benchmark and not a test
 * ({@code ShareOnHostXpuTest} asserts the policy's decisions instead).
 *
 * <p>Run after {@code ./mvnw -pl xsched.bench -am install -DskipTests}:
 * {@code java -cp xsched.bench/target/benchmarks.jar xsched.bench.ShareOnHostXpu [seconds] [runs]}
 * (defaults 4 and 3). Exits 0 whatever the figure.
 */
public final class ShareOnHostXpu {
    private static final long BLOCK_NANOS = 200_000;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ShareOnHostXpu() {
    }

    /** A kernel of 4 blocks; the device CPU time each block spends is added to {@code busy}. */
    private static HostKernel measured(AtomicLong busy) {
        return HostKernel.idempotent("share", 4, (block, ctx) -> {
            long start = System.nanoTime();
            long cpuStart = CPU.getCurrentThreadCpuTime();
            double x = 1;
            try {
                do {
                    for (int i = 0; i < 256; i++) {
                        x = Math.fma(x, 0.999999, 1e-6);
                    }
                    if (ctx.preempted()) {
                        return;
                    }
                } while (System.nanoTime() - start < BLOCK_NANOS);
            } finally {
                busy.addAndGet(CPU.getCurrentThreadCpuTime() - cpuStart + (x > 1e300 ? 1 : 0));
            }
        });
    }

    /** Keeps 32 kernels queued, so the queue never runs dry within a turn. */
    private static Thread saturate(XQueue q, AtomicLong busy, AtomicBoolean stop) {
        return Thread.ofPlatform().name("load-" + q.name()).start(() -> {
            try {
                while (!stop.get()) {
                    long seq = q.submit(measured(busy));
                    if (seq > 32) {
                        q.await(seq - 32);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * @param args measured seconds per run, number of runs
     * @throws Exception when interrupted
     */
    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 4;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(Locale.ROOT, "up on the host XPU, %d-core machine, load average %s: utilization hints 75/25, %d s per run%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), seconds);
        for (int run = 1; run <= runs; run++) {
            System.out.printf(Locale.ROOT, "run %d: big %.1f %% of device time (goal 75 ± 3)%n", run, 100 * bigShare(seconds));
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double bigShare(long seconds) throws InterruptedException {
        UtilizationPartition up = new UtilizationPartition();
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
             EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("up", up).build()) {
            XQueue big = xsched.createQueue("host:0", QueueOptions.defaults().withName("big"));
            XQueue small = xsched.createQueue("host:0", QueueOptions.defaults().withName("small"));
            xsched.hint(new Hint.Utilization(HintTarget.queue(big.id()), 75));
            xsched.hint(new Hint.Utilization(HintTarget.queue(small.id()), 25));
            AtomicLong bigBusy = new AtomicLong();
            AtomicLong smallBusy = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread a = saturate(big, bigBusy, stop);
            Thread b = saturate(small, smallBusy, stop);
            Thread.sleep(500);
            long big0 = bigBusy.get();
            long small0 = smallBusy.get();
            Thread.sleep(seconds * 1000);
            long bigTime = bigBusy.get() - big0;
            long smallTime = smallBusy.get() - small0;
            stop.set(true);
            // with no policy every queue runs, so both loaders can finish (the runtime logs that it has none)
            xsched.removePolicy("up", up);
            big.resume(true);
            small.resume(true);
            a.join();
            b.join();
            return (double) bigTime / Math.max(1, bigTime + smallTime);
        }
    }
}
