package xsched.policy.hpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueStatus;

class HighestPriorityFirstTest {
    private final HighestPriorityFirst hpf = new HighestPriorityFirst();
    private final RecordingContext ctx = new RecordingContext();
    private final Map<Long, Boolean> decided = ctx.decided();

    private static QueueStatus queue(long id, String device, boolean ready, int priority) {
        return new QueueStatusBuilder(id, device).pid(1).ready(ready).hints(Hints.priority(priority)).build();
    }

    private void run(QueueStatus... queues) {
        hpf.schedule(new SchedulerStatusBuilder(queues).build(), ctx.clear());
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
