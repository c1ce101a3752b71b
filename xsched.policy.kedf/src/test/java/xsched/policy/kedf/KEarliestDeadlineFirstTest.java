package xsched.policy.kedf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueStatus;

class KEarliestDeadlineFirstTest {
    private static final long MS = 1_000_000L;

    private final RecordingContext ctx = new RecordingContext(100 * MS).refuseTimers();
    private final Map<Long, Boolean> decided = ctx.decided();

    private static QueueStatus queue(long id, String device, boolean ready, long readySince, long deadline) {
        return new QueueStatusBuilder(id, device).ready(ready).readySince(readySince).hints(Hints.deadline(deadline)).build();
    }

    private void run(KEarliestDeadlineFirst policy, int k, QueueStatus... queues) {
        policy.schedule(new SchedulerStatusBuilder(queues).at(100 * MS).k(k).build(), ctx.clear());
    }

    @Test
    void theKEarliestDeadlinesRunOnADevice() {
        run(new KEarliestDeadlineFirst(), 2,
                queue(1, "gpu", true, 0, 30 * MS), queue(2, "gpu", true, 0, 10 * MS),
                queue(3, "gpu", true, 0, 20 * MS), queue(4, "gpu", true, 0, 40 * MS));
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, true).containsEntry(4L, false);
    }

    @Test
    void kComesFromTheGlobalHint() {
        QueueStatus[] queues = {queue(1, "gpu", true, 0, 30 * MS), queue(2, "gpu", true, 0, 10 * MS), queue(3, "gpu", true, 0, 20 * MS)};
        run(new KEarliestDeadlineFirst(), 1, queues);
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, false);
        run(new KEarliestDeadlineFirst(), 3, queues);
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, true);
    }

    @Test
    void kCountsPerDevice() {
        run(new KEarliestDeadlineFirst(), 2,
                queue(1, "gpu", true, 0, 10 * MS), queue(2, "gpu", true, 0, 20 * MS), queue(3, "gpu", true, 0, 30 * MS),
                queue(4, "npu", true, 0, 50 * MS), queue(5, "npu", true, 0, 60 * MS), queue(6, "npu", true, 0, 70 * MS));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false)
                .containsEntry(4L, true).containsEntry(5L, true).containsEntry(6L, false);
    }

    @Test
    void absoluteDeadlinesCountNotRelativeOnes() {
        // due at 50, 60 and 70 ms
        run(new KEarliestDeadlineFirst(), 2,
                queue(1, "gpu", true, 40 * MS, 30 * MS), queue(2, "gpu", true, 0, 50 * MS), queue(3, "gpu", true, 50 * MS, 10 * MS));
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, true);
    }

    @Test
    void idleQueuesDoNotTakeASlotAndStayResumed() {
        run(new KEarliestDeadlineFirst(), 2,
                queue(1, "gpu", false, 0, MS), queue(2, "gpu", true, 0, 20 * MS), queue(3, "gpu", true, 0, 30 * MS),
                queue(4, "gpu", true, 0, 40 * MS));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, true).containsEntry(4L, false);
    }

    @Test
    void queuesWithoutADeadlineComeLastUnlessADefaultIsSet() {
        QueueStatus[] queues = {queue(1, "gpu", true, 0, 0), queue(2, "gpu", true, 90 * MS, 500 * MS), queue(3, "gpu", true, 95 * MS, 500 * MS)};
        run(new KEarliestDeadlineFirst(), 2, queues);
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true).containsEntry(3L, true);
        run(new KEarliestDeadlineFirst(100 * MS), 2, queues);
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false);
    }
}
