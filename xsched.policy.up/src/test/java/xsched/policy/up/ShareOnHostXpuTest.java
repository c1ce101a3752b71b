package xsched.policy.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.internal.runtime.XschedRuntime;

/**
 * The policy in the real core on the host XPU: two saturating queues with utilization hints 75 and
 * 25 share the device's measured busy time 75:25 within ±3 percentage points over four seconds.
 */
class ShareOnHostXpuTest {
    private static final long BLOCK_NANOS = 200_000;
    /** Device time is the engine thread's CPU time, so that other load on the machine does not skew it. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** A kernel of 4 blocks; every nanosecond a block spends on the device is added to {@code busy}. */
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

    /** Keeps 32 kernels (~25 ms of work) queued, so the queue never runs dry within a turn. */
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

    @Test
    void sharesFollowUtilizationHintsOnTheHostXpu() throws Exception {
        XschedRuntime runtime = new XschedRuntime("up", "up");
        HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
        try {
            runtime.addBackend(host);
            runtime.addPolicy("up", new UtilizationPartition());
            XQueue big = runtime.createQueue("host:0", QueueOptions.defaults().withName("big"));
            XQueue small = runtime.createQueue("host:0", QueueOptions.defaults().withName("small"));
            runtime.hint(new Hint.Utilization(HintTarget.queue(big.id()), 75));
            runtime.hint(new Hint.Utilization(HintTarget.queue(small.id()), 25));
            AtomicLong bigBusy = new AtomicLong();
            AtomicLong smallBusy = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread a = saturate(big, bigBusy, stop);
            Thread b = saturate(small, smallBusy, stop);
            Thread.sleep(500);
            long big0 = bigBusy.get();
            long small0 = smallBusy.get();
            Thread.sleep(4000);
            long bigTime = bigBusy.get() - big0;
            long smallTime = smallBusy.get() - small0;
            stop.set(true);
            big.resume(true);
            small.resume(true);
            a.join();
            b.join();
            double share = 100.0 * bigTime / (bigTime + smallTime);
            System.out.printf("up on the host XPU: big %.1f %% of %.0f ms measured device time (goal 75 ± 3)%n", share, (bigTime + smallTime) / 1e6);
            assertThat(share).isBetween(72.0, 78.0);
            assertThat(bigTime + smallTime).as("device busy for most of 3 s").isGreaterThan(2_500_000_000L);
        } finally {
            runtime.shutdown();
            host.close();
        }
    }
}
