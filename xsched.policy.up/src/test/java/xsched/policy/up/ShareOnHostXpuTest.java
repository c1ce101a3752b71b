package xsched.policy.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The policy in the real core on the host XPU, asserted through its decisions: two queues with
 * utilization hints 75 and 25 and more work than the test lets them finish take turns, one at a
 * time, in order; the first turns are 7.5 ms and 2.5 ms (3:1, the hints' proportion, from the
 * default 5 ms average slice); no turn is longer than that or ends before its slice is over; both
 * queues get work done under the policy (the test waits for that). No measured time or ratio is asserted: how accurately the shares
 * hold on a real machine is a benchmark ({@code xsched.bench.ShareOnHostXpu}), and the accuracy of
 * the arithmetic, late timers included, is {@link UtilizationPartitionTest}'s.
 */
class ShareOnHostXpuTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final long MS = 1_000_000L;
    /** Per queue: far more than the turns the test waits for (each kernel is about 0.4 ms). */
    private static final int KERNELS = 5_000;
    private static final int TURNS_EACH = 4;

    /** What one {@code schedule} call saw and decided, for the two queues of the test. */
    private record Call(long now, boolean bothReady, List<Long> resumed, List<Long> suspended, List<Long> timers) {
    }

    /** A policy wrapper that records each call; the decisions pass through unchanged. */
    private static final class Recording implements SchedulingPolicy {
        private final SchedulingPolicy inner;
        private final List<Call> calls = new ArrayList<>();
        private final long big;
        private final long small;

        Recording(SchedulingPolicy inner, long big, long small) {
            this.inner = inner;
            this.big = big;
            this.small = small;
        }

        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            List<Long> resumed = new ArrayList<>();
            List<Long> suspended = new ArrayList<>();
            List<Long> timers = new ArrayList<>();
            inner.schedule(status, new PolicyContext() {
                @Override
                public void suspend(long queueId) {
                    suspended.add(queueId);
                    context.suspend(queueId);
                }

                @Override
                public void resume(long queueId) {
                    resumed.add(queueId);
                    context.resume(queueId);
                }

                @Override
                public void timer(long atNanos) {
                    timers.add(atNanos);
                    context.timer(atNanos);
                }

                @Override
                public long nanoTime() {
                    return context.nanoTime();
                }
            });
            boolean bothReady = status.queues().stream().filter(q -> q.id() == big || q.id() == small).filter(QueueStatus::ready).count() == 2;
            synchronized (this) {
                calls.add(new Call(context.nanoTime(), bothReady, resumed, suspended, timers));
            }
        }

        @Override
        public void hint(Hint hint) {
            inner.hint(hint);
        }

        @Override
        public void reset() {
            inner.reset();
        }

        synchronized List<Call> calls() {
            return List.copyOf(calls);
        }
    }

    /** One turn: the queue that held the device, when its turn began and the slice it was given. */
    private record Turn(long queue, long start, long slice) {
    }

    /**
     * The turns while both queues were READY, from the recorded calls. A turn begins with the call
     * that asks for a timer (the end of its slice) and lasts until the next such call.
     */
    private static List<Turn> turns(List<Call> calls, long big, long small) {
        List<Turn> turns = new ArrayList<>();
        for (Call c : calls) {
            if (!c.bothReady()) {
                break;
            }
            if (!c.timers().isEmpty()) {
                long runner = c.resumed().contains(big) && c.suspended().contains(small) ? big : small;
                turns.add(new Turn(runner, c.now(), c.timers().getLast() - c.now()));
            }
        }
        return turns;
    }

    /** A kernel of 4 blocks of about 100 µs each, interruptible at every check. */
    private static HostKernel work(AtomicLong blocks) {
        return HostKernel.idempotent("share", 4, (block, ctx) -> {
            long end = System.nanoTime() + 100_000;
            while (System.nanoTime() < end) {
                if (ctx.preempted()) {
                    return;
                }
                Thread.onSpinWait();
            }
            blocks.incrementAndGet();
        });
    }

    @Test
    void queuesTakeTurnsWithSlicesInTheProportionOfTheirUtilizationHints() throws Exception {
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
             EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).build()) {
            XQueue big = xsched.createQueue("host:0", QueueOptions.defaults().withName("big"));
            XQueue small = xsched.createQueue("host:0", QueueOptions.defaults().withName("small"));
            xsched.hint(new Hint.Utilization(HintTarget.queue(big.id()), 75));
            xsched.hint(new Hint.Utilization(HintTarget.queue(small.id()), 25));
            AtomicLong bigBlocks = new AtomicLong();
            AtomicLong smallBlocks = new AtomicLong();
            for (int i = 0; i < KERNELS; i++) {
                big.submit(work(bigBlocks));
                small.submit(work(smallBlocks));
            }
            // Both queues are READY (with far more work than the test waits for) before the policy starts,
            // so its first turns begin without debts: big's first (lower id), then small's.
            Recording up = new Recording(new UtilizationPartition(), big.id(), small.id());
            xsched.addPolicy("up", up);
            xsched.activatePolicy("up");
            xsched.awaitScheduled();
            long bigAtStart = bigBlocks.get();
            long smallAtStart = smallBlocks.get();

            long deadline = System.nanoTime() + CAP.toNanos();
            while (turns(up.calls(), big.id(), small.id()).size() < 2 * TURNS_EACH
                    || bigBlocks.get() == bigAtStart || smallBlocks.get() == smallAtStart) {
                assertThat(System.nanoTime() - deadline).as("waiting for %d turns and work done by both queues: %s",
                        2 * TURNS_EACH, up.calls()).isNegative();
                LockSupport.parkNanos(MS);
            }
            List<Call> calls = up.calls();
            List<Turn> turns = turns(calls, big.id(), small.id());
            xsched.removePolicy("up", up);
            big.resume(true);
            small.resume(true);
            big.awaitAll();
            small.awaitAll();

            assertThat(calls).as("the policy ran with both queues READY").isNotEmpty();
            for (Call c : calls) {
                if (c.bothReady()) {
                    boolean bigRuns = c.resumed().contains(big.id()) && c.suspended().contains(small.id());
                    boolean smallRuns = c.resumed().contains(small.id()) && c.suspended().contains(big.id());
                    assertThat(bigRuns ^ smallRuns).as("exactly one queue holds the device: %s", c).isTrue();
                }
            }
            List<Turn> measured = turns.subList(0, 2 * TURNS_EACH);
            for (int i = 0; i < measured.size(); i++) {
                Turn t = measured.get(i);
                assertThat(t.queue()).as("turn %d: big and small alternate, big first", i).isEqualTo(i % 2 == 0 ? big.id() : small.id());
                long nominal = t.queue() == big.id() ? 7_500_000L : 2_500_000L;
                if (i < 2) {
                    assertThat(t.slice()).as("turn %d: the first slice of each queue, undiminished by debts", i).isEqualTo(nominal);
                } else {
                    assertThat(t.slice()).as("turn %d: a later slice, less any overrun repaid", i)
                            .isLessThanOrEqualTo(nominal).isGreaterThanOrEqualTo(100_000L);
                }
                if (i > 0) {
                    Turn before = measured.get(i - 1);
                    assertThat(t.start()).as("turn %d began once turn %d's slice was over", i, i - 1)
                            .isGreaterThanOrEqualTo(before.start() + before.slice());
                }
            }
        }
    }
}
