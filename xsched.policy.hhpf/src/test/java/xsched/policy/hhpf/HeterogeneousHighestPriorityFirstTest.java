package xsched.policy.hhpf;

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

class HeterogeneousHighestPriorityFirstTest {
    private final HeterogeneousHighestPriorityFirst hhpf = new HeterogeneousHighestPriorityFirst();
    private final Map<Long, Boolean> decided = new HashMap<>();
    private final List<Long> timers = new ArrayList<>();
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
            timers.add(atNanos);
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
        hhpf.schedule(new SchedulerStatus(0, List.of(queues), 1, -1, 0), ctx);
    }

    @Test
    void theGlobalTopPrioritySuspendsLowerQueuesOnEveryDevice() {
        run(queue(1, "gpu", true, 5), queue(2, "npu", true, 1), queue(3, "dla", true, 4), queue(4, "gpu", true, 1));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false).containsEntry(3L, false).containsEntry(4L, false);
        assertThat(timers).isEmpty();
    }

    @Test
    void equalTopPrioritiesRunTogetherAcrossDevices() {
        run(queue(1, "gpu", true, 3), queue(2, "npu", true, 3), queue(3, "npu", true, 2));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false);
    }

    @Test
    void idleQueuesStayResumedEvenBelowTheBar() {
        run(queue(1, "gpu", true, 9), queue(2, "npu", false, 0), queue(3, "gpu", false, -5));
        assertThat(decided).containsEntry(2L, true).containsEntry(3L, true);
    }

    @Test
    void whenThePipelineGoesIdleTheOtherDevicesResume() {
        run(queue(1, "gpu", true, 9), queue(2, "npu", true, 0), queue(3, "npu", true, -1));
        assertThat(decided).containsEntry(2L, false).containsEntry(3L, false);
        run(queue(1, "gpu", false, 9), queue(2, "npu", true, 0), queue(3, "npu", true, -1));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false);
    }

    @Test
    void withNothingReadyEverythingIsResumed() {
        run(queue(1, "gpu", false, 9), queue(2, "npu", false, -255));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true);
    }

    @Test
    void theLowestPriorityAloneRuns() {
        run(queue(1, "gpu", true, -255));
        assertThat(decided).containsEntry(1L, true);
    }
}
