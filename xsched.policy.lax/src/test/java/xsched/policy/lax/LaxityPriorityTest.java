package xsched.policy.lax;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.policy.testkit.Hints.laxity;
import static xsched.policy.testkit.Hints.priority;

import org.junit.jupiter.api.Test;
import xsched.policy.testkit.ScriptedEngine;
import xsched.spi.policy.QueueHints;

class LaxityPriorityTest {
    private static final long MS = 1_000_000L;

    private final LaxityPriority lax = new LaxityPriority();
    private final ScriptedEngine engine = new ScriptedEngine(lax);

    private void openReady(long id, String device, QueueHints hints) {
        engine.openReady(id, device, id, hints);
    }

    @Test
    void aQueueSwitchesToItsCriticalPriorityWhenItsLaxityExpires() {
        long start = engine.nanoTime();
        openReady(1, "npu", laxity(10 * MS, -5, 10));
        openReady(2, "npu", priority(0));
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(start + 10 * MS);

        engine.advance(10 * MS - 1);
        assertThat(engine.suspended(1)).isTrue();
        engine.advance(1);
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        assertThat(engine.ranNanos(2)).isEqualTo(10 * MS);
    }

    @Test
    void goingIdleStartsANewLaxity() {
        openReady(1, "npu", laxity(10 * MS, -5, 10));
        openReady(2, "npu", priority(0));
        engine.advance(12 * MS);
        assertThat(engine.running(1)).isTrue();
        engine.ready(1, false).ready(1, true);
        assertThat(engine.suspended(1)).isTrue();
        assertThat(engine.running(2)).isTrue();
        engine.advance(10 * MS);
        assertThat(engine.running(1)).isTrue();
    }

    @Test
    void withinItsLaxityAHighLaxityPriorityRunsFirst() {
        openReady(1, "npu", laxity(10 * MS, 7, -3));
        openReady(2, "npu", priority(5));
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        engine.advance(10 * MS);
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isTrue();
    }

    @Test
    void theTimerIsForTheEarliestPendingExpiryOnly() {
        long start = engine.nanoTime();
        openReady(1, "gpu", laxity(30 * MS, 0, 1));
        openReady(2, "gpu", laxity(20 * MS, 0, 2));
        engine.open(3, "gpu", 3, laxity(MS, 0, 9));
        assertThat(engine.pendingTimers()).containsExactlyInAnyOrder(start + 30 * MS, start + 20 * MS);
        engine.advance(30 * MS);
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isTrue();
        assertThat(engine.suspended(3)).isFalse();
        assertThat(engine.pendingTimers()).isEmpty();
    }

    @Test
    void aZeroLaxityIsCriticalAtOnce() {
        openReady(1, "gpu", laxity(0, -5, 10));
        openReady(2, "gpu", priority(3));
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        assertThat(engine.pendingTimers()).isEmpty();
    }

    @Test
    void eachDeviceComparesItsOwnQueues() {
        openReady(1, "gpu", laxity(10 * MS, -5, 10));
        openReady(2, "npu", priority(0));
        openReady(3, "npu", priority(-1));
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(3)).isTrue();
    }

    @Test
    void resetForgetsWhichTimerWasAskedFor() {
        long start = engine.nanoTime();
        openReady(1, "gpu", laxity(10 * MS, -5, 10));
        openReady(2, "gpu", priority(0));
        engine.resetPolicy();
        assertThat(engine.pendingTimers()).containsExactly(start + 10 * MS);
    }
}
