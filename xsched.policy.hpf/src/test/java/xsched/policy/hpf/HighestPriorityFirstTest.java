package xsched.policy.hpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

class HighestPriorityFirstTest {
    private final HighestPriorityFirst hpf = new HighestPriorityFirst();
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
        }

        @Override
        public long nanoTime() {
            return 0;
        }
    };

    private static QueueStatus queue(long id, String device, boolean ready, int priority) {
        return new QueueStatus(id, device, 1, ready, false, 0, new QueueHints(priority, 0, 0, 0, 0, 0, 0));
    }

    private void run(QueueStatus... queues) {
        decided.clear();
        hpf.schedule(new SchedulerStatus(0, List.of(queues), 1, -1, 0), ctx);
    }

    @Test
    void lowerPriorityReadyQueuesAreSuspendedPerDevice() {
        run(queue(1, "d0", true, 5), queue(2, "d0", true, 1), queue(3, "d1", true, 1), queue(4, "d0", false, 9));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false).containsEntry(3L, true).containsEntry(4L, true);
    }

    @Test
    void equalPrioritiesShareTheDevice() {
        run(queue(1, "d0", true, 3), queue(2, "d0", true, 3));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true);
    }

    @Test
    void whenTheHighQueueGoesIdleTheLowQueueResumes() {
        run(queue(1, "d0", true, 5), queue(2, "d0", true, 1));
        assertThat(decided.get(2L)).isFalse();
        run(queue(1, "d0", false, 5), queue(2, "d0", true, 1));
        assertThat(decided.get(2L)).isTrue();
    }

    @Test
    void negativePrioritiesAreOrderedToo() {
        List<QueueStatus> qs = new ArrayList<>();
        qs.add(queue(1, "d0", true, -10));
        qs.add(queue(2, "d0", true, -255));
        run(qs.toArray(QueueStatus[]::new));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false);
    }
}
