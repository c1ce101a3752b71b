package xsched.policy.hhpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueStatus;

class HeterogeneousHighestPriorityFirstTest {
    private final HeterogeneousHighestPriorityFirst hhpf = new HeterogeneousHighestPriorityFirst();
    private final RecordingContext ctx = new RecordingContext();
    private final Map<Long, Boolean> decided = ctx.decided();
    private final List<Long> timers = ctx.timers();

    private static QueueStatus queue(long id, String device, boolean ready, int priority) {
        return new QueueStatusBuilder(id, device).pid(1).ready(ready).hints(Hints.priority(priority)).build();
    }

    private void run(QueueStatus... queues) {
        hhpf.schedule(new SchedulerStatusBuilder(queues).build(), ctx.clear());
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
