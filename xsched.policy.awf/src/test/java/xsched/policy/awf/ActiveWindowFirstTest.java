package xsched.policy.awf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueStatus;

class ActiveWindowFirstTest {
    private final ActiveWindowFirst awf = new ActiveWindowFirst();
    private final RecordingContext ctx = new RecordingContext().refuseTimers();
    private final Map<Long, Boolean> decided = ctx.decided();

    private static QueueStatus queue(long id, String device, long pid, boolean ready) {
        return new QueueStatusBuilder(id, device).pid(pid).ready(ready).build();
    }

    private void run(long activePid, QueueStatus... queues) {
        awf.schedule(new SchedulerStatusBuilder(queues).activeWindow(activePid).build(), ctx.clear());
    }

    @Test
    void theFocusedProcessTakesTheDevicesItUses() {
        run(100, queue(1, "npu", 100, true), queue(2, "npu", 200, true), queue(3, "npu", 300, true), queue(4, "npu", 100, true));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false).containsEntry(3L, false).containsEntry(4L, true);
    }

    @Test
    void devicesTheFocusedProcessDoesNotUseKeepRunning() {
        run(100, queue(1, "npu", 100, true), queue(2, "npu", 200, true), queue(3, "gpu", 200, true), queue(4, "gpu", 300, true));
        assertThat(decided).containsEntry(2L, false).containsEntry(3L, true).containsEntry(4L, true);
    }

    @Test
    void whenTheFocusedProcessIsIdleEveryoneRuns() {
        run(100, queue(1, "npu", 100, false), queue(2, "npu", 200, true), queue(3, "npu", 300, true));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, true);
    }

    @Test
    void idleQueuesOfOtherProcessesStayResumed() {
        run(100, queue(1, "npu", 100, true), queue(2, "npu", 200, false));
        assertThat(decided).containsEntry(2L, true);
    }

    @Test
    void aFocusChangeMovesTheDevice() {
        QueueStatus[] queues = {queue(1, "npu", 100, true), queue(2, "npu", 200, true)};
        run(100, queues);
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, false);
        run(200, queues);
        assertThat(decided).containsEntry(1L, false).containsEntry(2L, true);
    }

    @Test
    void withoutAFocusedWindowEveryoneRuns() {
        run(-1, queue(1, "npu", 100, true), queue(2, "npu", 200, true));
        assertThat(decided).containsEntry(1L, true).containsEntry(2L, true);
    }
}
