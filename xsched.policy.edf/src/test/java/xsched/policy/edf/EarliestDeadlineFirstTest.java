package xsched.policy.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.policy.testkit.Hints.deadline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulingPolicy;

class EarliestDeadlineFirstTest {
    private static final long MS = 1_000_000L;

    private final RecordingContext ctx = new RecordingContext(100 * MS).refuseTimers();
    private final Map<Long, Boolean> decided = ctx.decided();

    /** Per-device fixed priorities, as hpf does it: the baseline EDF is compared with. */
    private static final SchedulingPolicy FIXED_PRIORITY = (status, context) -> {
        Map<String, Integer> top = new HashMap<>();
        status.queues().stream().filter(QueueStatus::ready).forEach(q -> top.merge(q.deviceId(), q.hints().priority(), Math::max));
        status.queues().forEach(q -> {
            if (q.ready() && q.hints().priority() < top.get(q.deviceId())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        });
    };

    private static QueueHints deadlineAndPriority(long nanos, int priority) {
        return Hints.builder().priority(priority).deadline(nanos).build();
    }

    private static QueueStatus queue(long id, String device, boolean ready, long readySince, QueueHints hints) {
        return new QueueStatusBuilder(id, device).ready(ready).readySince(readySince).hints(hints).build();
    }

    private void run(SchedulingPolicy policy, QueueStatus... queues) {
        policy.schedule(new SchedulerStatusBuilder(queues).at(100 * MS).build(), ctx.clear());
    }

    @Test
    void meetsEveryDeadlineOfAFeasibleTaskSetThatFixedPrioritiesMiss() {
        // utilization 2/5 + 4/7 = 97 %: feasible, but no fixed priority order meets every deadline
        List<PeriodicTaskSimulation.Task> rateMonotonic = List.of(
                new PeriodicTaskSimulation.Task(1, 5 * MS, 2 * MS, deadlineAndPriority(5 * MS, 2)),
                new PeriodicTaskSimulation.Task(2, 7 * MS, 4 * MS, deadlineAndPriority(7 * MS, 1)));
        List<PeriodicTaskSimulation.Task> reversed = List.of(
                new PeriodicTaskSimulation.Task(1, 5 * MS, 2 * MS, deadlineAndPriority(5 * MS, 1)),
                new PeriodicTaskSimulation.Task(2, 7 * MS, 4 * MS, deadlineAndPriority(7 * MS, 2)));

        PeriodicTaskSimulation edf = new PeriodicTaskSimulation(rateMonotonic).run(new EarliestDeadlineFirst(), 70 * MS, 10_000);
        assertThat(edf.finished()).isGreaterThanOrEqualTo(22);
        assertThat(edf.missed()).isZero();

        assertThat(new PeriodicTaskSimulation(rateMonotonic).run(FIXED_PRIORITY, 70 * MS, 10_000).missed()).isPositive();
        assertThat(new PeriodicTaskSimulation(reversed).run(FIXED_PRIORITY, 70 * MS, 10_000).missed()).isPositive();
    }

    @Test
    void theEarliestAbsoluteDeadlineRunsNotTheShortestRelativeOne() {
        // queue 1: ready at 10 ms, due at 60 ms; queue 2: ready at 50 ms, due at 70 ms
        run(new EarliestDeadlineFirst(), queue(1, "gpu", true, 10 * MS, deadline(50 * MS)), queue(2, "gpu", true, 50 * MS, deadline(20 * MS)));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false);
    }

    @Test
    void eachDeviceRunsItsOwnEarliest() {
        run(new EarliestDeadlineFirst(),
                queue(1, "gpu", true, 0, deadline(10 * MS)), queue(2, "gpu", true, 0, deadline(20 * MS)),
                queue(3, "dla", true, 0, deadline(30 * MS)), queue(4, "dla", true, 0, deadline(40 * MS)));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false).containsEntry(3L, true).containsEntry(4L, false);
    }

    @Test
    void queuesWithoutADeadlineWaitAndIdleQueuesStayResumed() {
        run(new EarliestDeadlineFirst(),
                queue(1, "gpu", true, 0, QueueHints.NONE), queue(2, "gpu", true, 90 * MS, deadline(3_000 * MS)),
                queue(3, "gpu", false, 0, deadline(MS)));
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, true);
    }

    @Test
    void aDefaultDeadlineLetsOldBestEffortWorkRun() {
        run(new EarliestDeadlineFirst(20 * MS),
                queue(1, "gpu", true, 0, QueueHints.NONE), queue(2, "gpu", true, 90 * MS, deadline(3_000 * MS)));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false);
    }

    @Test
    void tiesGoToTheQueueReadyLongest() {
        run(new EarliestDeadlineFirst(),
                queue(1, "gpu", true, 5 * MS, QueueHints.NONE), queue(2, "gpu", true, 2 * MS, QueueHints.NONE),
                queue(3, "gpu", true, 2 * MS, QueueHints.NONE));
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, false);
    }

    @Test
    void whenTheEarliestGoesIdleTheNextRuns() {
        run(new EarliestDeadlineFirst(), queue(1, "gpu", true, 0, deadline(10 * MS)), queue(2, "gpu", true, 0, deadline(20 * MS)));
        assertThat(decided.get(2L)).isFalse();
        run(new EarliestDeadlineFirst(), queue(1, "gpu", false, 0, deadline(10 * MS)), queue(2, "gpu", true, 0, deadline(20 * MS)));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true);
    }
}
