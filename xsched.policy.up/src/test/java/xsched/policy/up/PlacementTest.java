package xsched.policy.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.support.PlacementRule;
import xsched.policy.support.ShareSettings;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.RecordingPlacement;
import xsched.policy.testkit.RecordingPlacement.Layout;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * The share policy with placement: a queue with a reservation hint leaves the rotation for a
 * partition of its own, the others take turns on the complement; dynamic and static decisions
 * from the status, and the static layout in the real core on a 4-worker host XPU.
 */
class PlacementTest {
    private final RecordingPlacement placement = new RecordingPlacement().device("d0", PartitionSupport.supported(8, "units", 1, 1));
    private final RecordingContext ctx = new RecordingContext();

    private static QueueStatus queue(long id, boolean ready, QueueHints hints) {
        return new QueueStatusBuilder(id, "d0").pid(1).ready(ready).hints(hints).build();
    }

    private void round(UtilizationPartition up, QueueStatus... queues) {
        SchedulerStatus status = new SchedulerStatusBuilder(queues).build();
        up.place(status, placement.of(status));
        up.schedule(status, ctx.clear());
    }

    @Test
    void theReservedQueueLeavesTheRotationAndTheOthersTakeTurnsOnTheComplement() {
        UtilizationPartition up = new UtilizationPartition(ShareSettings.DEFAULT, PlacementRule.of("dynamic", 0));
        round(up, queue(1, true, Hints.reserve(2)), queue(2, true, Hints.utilization(70)), queue(3, true, Hints.utilization(30)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 2));
        assertThat(ctx.decided()).containsEntry(1L, true);
        assertThat(ctx.decided().get(2L) ^ ctx.decided().get(3L)).as("one of the others at a time: %s", ctx.decided()).isTrue();
        assertThat(ctx.timers()).as("the complement's turn ends with a timer").hasSize(1);

        round(up, queue(1, false, Hints.reserve(2)), queue(2, true, Hints.utilization(70)), queue(3, true, Hints.utilization(30)));
        assertThat(placement.layouts()).as("dynamic: the reserved queue is IDLE").containsEntry("d0", Layout.WHOLE);
    }

    @Test
    void staticKeepsTheSplitAndOffNeverSplits() {
        UtilizationPartition fixed = new UtilizationPartition(ShareSettings.DEFAULT, PlacementRule.of("static", 0));
        round(fixed, queue(1, false, Hints.reservePercent(50)), queue(2, true, Hints.utilization(70)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 4));

        UtilizationPartition off = new UtilizationPartition(ShareSettings.DEFAULT, PlacementRule.of("off", 0));
        round(off, queue(1, true, Hints.reserve(2)), queue(2, true, Hints.utilization(70)));
        assertThat(placement.layouts()).containsEntry("d0", Layout.WHOLE);
        assertThat(ctx.decided().get(1L) ^ ctx.decided().get(2L)).as("the hinted queue takes turns: %s", ctx.decided()).isTrue();
    }

    private static final int BLOCKS = 4;

    private static void submit(XQueue q, int kernels, AtomicIntegerArray runs, Set<Integer> workers) {
        for (int k = 0; k < kernels; k++) {
            int kernel = k;
            q.submit(HostKernel.of("k" + k, BLOCKS, (block, c) -> {
                long end = System.nanoTime() + 20_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                workers.add(c.worker());
                runs.incrementAndGet(kernel * BLOCKS + block);
            }));
        }
    }

    private static void assertOnce(XQueue q, AtomicIntegerArray runs) throws InterruptedException {
        q.awaitAll();
        for (long seq = 1; seq <= q.submitted(); seq++) {
            assertThat(q.outcome(seq)).isEqualTo(Outcome.COMPLETED);
        }
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of block %d of %s", i, q.name()).isEqualTo(1);
        }
    }

    @Test
    void inTheRealCoreTheReservedQueueRunsOnItsPartitionAndTheSharesOnTheRest() throws Exception {
        try (HostBackend host = new HostBackend(1, 4, PreemptLevel.INTERRUPT);
             EmbeddedXsched x = EmbeddedXsched.builder().backend(host)
                     .policy("up", new UtilizationPartition(ShareSettings.DEFAULT, PlacementRule.of("static", 0))).build()) {
            XQueue fg = x.createQueue("host:0", QueueOptions.defaults().withName("fg"));
            XQueue big = x.createQueue("host:0", QueueOptions.defaults().withName("big"));
            XQueue small = x.createQueue("host:0", QueueOptions.defaults().withName("small"));
            x.hint(new Hint.Utilization(HintTarget.queue(big.id()), 70));
            x.hint(new Hint.Utilization(HintTarget.queue(small.id()), 30));
            x.hint(new Hint.Reservation(HintTarget.queue(fg.id()), 1, 0));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Objects.equals(partition(x, fg), "host:0/w0") || !Objects.equals(partition(x, big), "host:0/w1-3")
                    || !Objects.equals(partition(x, small), "host:0/w1-3")) {
                assertThat(System.nanoTime() - deadline).as("waiting for the split: %s", x.snapshot().queues).isNegative();
                LockSupport.parkNanos(1_000_000);
            }
            int kernels = 60;
            AtomicIntegerArray fgRuns = new AtomicIntegerArray(kernels * BLOCKS);
            AtomicIntegerArray bigRuns = new AtomicIntegerArray(kernels * BLOCKS);
            AtomicIntegerArray smallRuns = new AtomicIntegerArray(kernels * BLOCKS);
            Set<Integer> fgWorkers = ConcurrentHashMap.newKeySet();
            Set<Integer> restWorkers = ConcurrentHashMap.newKeySet();
            submit(big, kernels, bigRuns, restWorkers);
            submit(small, kernels, smallRuns, restWorkers);
            submit(fg, kernels, fgRuns, fgWorkers);
            assertOnce(fg, fgRuns);
            assertOnce(big, bigRuns);
            assertOnce(small, smallRuns);
            assertThat(fgWorkers).containsOnly(0);
            assertThat(restWorkers).isNotEmpty().isSubsetOf(1, 2, 3);
        }
    }

    private static String partition(EmbeddedXsched x, XQueue q) {
        return x.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().partition;
    }
}
