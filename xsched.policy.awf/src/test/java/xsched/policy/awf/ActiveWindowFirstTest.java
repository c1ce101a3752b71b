package xsched.policy.awf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

class ActiveWindowFirstTest {
    private final ActiveWindowFirst awf = new ActiveWindowFirst();
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
            throw new AssertionError("awf needs no timers");
        }

        @Override
        public long nanoTime() {
            return 0;
        }
    };

    private static QueueStatus queue(long id, String device, long pid, boolean ready) {
        return new QueueStatus(id, device, pid, ready, false, 0, QueueHints.NONE);
    }

    private void run(long activePid, QueueStatus... queues) {
        decided.clear();
        awf.schedule(new SchedulerStatus(0, List.of(queues), 1, activePid, 0), ctx);
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
