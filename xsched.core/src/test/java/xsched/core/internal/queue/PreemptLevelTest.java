package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.backend.host.HostKernel;

/** What suspend does to work already on the device, level by level. */
class PreemptLevelTest {
    private final QueueFixture fixture = new QueueFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void levelOneLetsLaunchedWorkFinish() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(20);
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(1, 1))) {
            HostKernel kernel = QueueFixture.counting(runs, 0, 20, 2_000_000, false);
            long seq = q.submit(kernel);
            waitFor(() -> kernel.blocksRun() >= 2);
            q.suspend();
            waitFor(kernel::completed);
            assertThat(kernel.blocksRun()).isEqualTo(20);
            q.resume();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void levelTwoStopsBetweenBlocksAndRunsEachBlockOnce() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(20);
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.DEACTIVATE, new LaunchConfig(1, 1));
             ProgressiveQueue other = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(1, 1))) {
            HostKernel kernel = QueueFixture.counting(runs, 0, 20, 2_000_000, false);
            long seq = q.submit(kernel);
            waitFor(() -> kernel.blocksRun() >= 2);
            q.suspend();
            int atSuspend = kernel.blocksRun();
            // the device runs another queue's work, and still none of the deactivated kernel's (unless
            // the machine was so slow that all 20 blocks had run before the suspension)
            assertThat(other.await(other.submit(xsched.backend.host.HostTask.of("next", () -> { })))).isEqualTo(Outcome.COMPLETED);
            assertThat(kernel.blocksRun()).as("blocks run while deactivated").isEqualTo(atSuspend);
            q.resume();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            for (int b = 0; b < 20; b++) {
                assertThat(runs.get(b)).isEqualTo(1);
            }
        }
    }

    /** A kernel whose blocks count down {@code started} as they begin, then spin and count their run. */
    private static HostKernel announcing(CountDownLatch started, AtomicIntegerArray runs, int blocks, long nanos, boolean idempotent) {
        return idempotent
                ? HostKernel.idempotent("announcing", blocks, (b, ctx) -> {
                    started.countDown();
                    spin(nanos, ctx, true);
                    if (!ctx.preempted()) {
                        runs.incrementAndGet(b);
                    }
                })
                : HostKernel.of("announcing", blocks, (b, ctx) -> {
                    started.countDown();
                    spin(nanos, ctx, false);
                    runs.incrementAndGet(b);
                });
    }

    private static void spin(long nanos, xsched.backend.host.BlockContext ctx, boolean interruptible) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            if (interruptible && ctx.preempted()) {
                return;
            }
        }
    }

    @Test
    void levelThreeInterruptsARunningBlockAndRedoesIt() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(1);
        CountDownLatch started = new CountDownLatch(1);
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.INTERRUPT, new LaunchConfig(1, 1))) {
            HostKernel kernel = announcing(started, runs, 1, 2_000_000_000L, true);
            long seq = q.submit(kernel);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            q.suspend();
            // the 2 s block was abandoned, not waited for: it neither ran to its end nor counted
            assertThat(kernel.blocksAbandoned()).isEqualTo(1);
            assertThat(kernel.blocksRun()).isZero();
            q.resume();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            assertThat(runs.get(0)).isEqualTo(1);
        }
    }

    @Test
    void levelThreeFallsBackToBlockBoundariesForNonIdempotentKernels() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        CountDownLatch started = new CountDownLatch(1);
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.INTERRUPT, new LaunchConfig(1, 1));
             ProgressiveQueue other = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(1, 1))) {
            HostKernel kernel = announcing(started, runs, 3, 100_000_000L, false);
            long seq = q.submit(kernel);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            q.suspend();
            // the running block was not cut (not idempotent): it ended; no block runs while suspended,
            // which another queue's work on the same device shows (unless a starved test thread let all
            // three blocks run before the suspension)
            int atSuspend = kernel.blocksRun();
            assertThat(kernel.blocksAbandoned()).isZero();
            assertThat(atSuspend).isBetween(1, 3);
            assertThat(other.await(other.submit(xsched.backend.host.HostTask.of("next", () -> { })))).isEqualTo(Outcome.COMPLETED);
            assertThat(kernel.blocksRun()).as("blocks run while suspended").isEqualTo(atSuspend);
            q.resume();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            assertThat(runs.get(0) + runs.get(1) + runs.get(2)).isEqualTo(3);
        }
    }

    @Test
    void dropDiscardsOnlyWhatWasNeverLaunched() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.DEACTIVATE, new LaunchConfig(2, 1))) {
            long[] seqs = new long[10];
            q.suspend();
            for (int i = 0; i < 10; i++) {
                seqs[i] = q.submit(QueueFixture.counting(runs, i, 1, 1_000, false));
            }
            q.resume(true);
            q.awaitAll();
            for (int i = 0; i < 10; i++) {
                assertThat(q.outcome(seqs[i])).isEqualTo(Outcome.DROPPED);
                assertThat(runs.get(i)).isZero();
            }
            long after = q.submit(QueueFixture.counting(runs, 0, 1, 1_000, false));
            assertThat(q.await(after)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.finished()).isEqualTo(11);
        }
    }
}
