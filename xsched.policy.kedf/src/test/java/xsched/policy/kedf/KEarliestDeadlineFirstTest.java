package xsched.policy.kedf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

class KEarliestDeadlineFirstTest {
    private static final long MS = 1_000_000L;

    private final Map<Long, Boolean> decided = new HashMap<>();
    private final PolicyContext ctx = new PolicyContext() {
        @Override
        public void suspend(long queueId) {
            decided.put(queueId, false);
        }

        @Override
        public void resume(long queueId) {
            decided.put(queueId, true);
        }

        @Override
        public void timer(long atNanos) {
            throw new AssertionError("kedf needs no timers");
        }

        @Override
        public long nanoTime() {
            return 100 * MS;
        }
    };

    private static QueueStatus queue(long id, String device, boolean ready, long readySince, long deadline) {
        return new QueueStatus(id, device, id, ready, false, readySince, new QueueHints(0, 0, 0, deadline, 0, 0, 0));
    }

    private void run(KEarliestDeadlineFirst policy, int k, QueueStatus... queues) {
        decided.clear();
        policy.schedule(new SchedulerStatus(100 * MS, List.of(queues), k, -1, 0), ctx);
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
