package xsched.policy.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static xsched.policy.testkit.Hints.utilization;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import xsched.policy.support.ShareSettings;
import xsched.policy.testkit.ScriptedEngine;
import xsched.spi.policy.QueueHints;

class UtilizationPartitionTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final UtilizationPartition up = new UtilizationPartition();
    private final ScriptedEngine engine = new ScriptedEngine(up);

    private double percentOf(long id, long elapsed) {
        return engine.ranPercent(id, elapsed);
    }

    private void openReady(long id, String device, QueueHints hints) {
        engine.openReady(id, device, id, hints);
    }

    @Test
    void sevenToThreeSplitsTheDeviceSevenToThree() {
        openReady(1, "npu", utilization(70));
        openReady(2, "npu", utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, 3 * SECOND)).isCloseTo(30, within(3.0));
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
    }

    @Test
    void sharesHoldWhenTheSchedulerWakesLate() {
        engine.lateBy(2 * MS, 42);
        openReady(1, "npu", utilization(70));
        openReady(2, "npu", utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, 3 * SECOND)).isCloseTo(30, within(3.0));
    }

    @Test
    void slicesFollowTheAverageTimeslice() {
        engine.globalTimeslice(10 * MS);
        long start = engine.nanoTime();
        openReady(1, "gpu", utilization(70));
        openReady(2, "gpu", utilization(30));
        // queue 1 was alone when its first turn began: the whole 10 ms
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(start + 10 * MS);
        engine.advance(10 * MS);
        // now two READY queues: turns of 2 × 10 ms × 30 % and 2 × 10 ms × 70 %
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(start + 16 * MS);
        engine.advance(6 * MS);
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(start + 30 * MS);
    }

    @Test
    void eachDeviceHasItsOwnRotation() {
        openReady(1, "gpu", utilization(70));
        openReady(2, "gpu", utilization(30));
        openReady(3, "npu", utilization(10));
        openReady(4, "npu", utilization(40));
        engine.advance(2 * SECOND);
        assertThat(percentOf(1, 2 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, 2 * SECOND)).isCloseTo(30, within(3.0));
        assertThat(percentOf(3, 2 * SECOND)).isCloseTo(20, within(3.0));
        assertThat(percentOf(4, 2 * SECOND)).isCloseTo(80, within(3.0));
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
    }

    @Test
    void queuesWithoutAHintShareTheLeftoverAndNeverStarve() {
        openReady(1, "gpu", utilization(50));
        openReady(2, "gpu", QueueHints.NONE);
        openReady(3, "gpu", QueueHints.NONE);
        engine.advance(2 * SECOND);
        assertThat(percentOf(1, 2 * SECOND)).isCloseTo(50, within(3.0));
        assertThat(percentOf(2, 2 * SECOND)).isCloseTo(25, within(3.0));
        assertThat(percentOf(3, 2 * SECOND)).isCloseTo(25, within(3.0));
    }

    @Test
    void anUnhintedQueueGetsTheFloorWhenHintsTakeEverything() {
        openReady(1, "gpu", utilization(70));
        openReady(2, "gpu", utilization(30));
        openReady(3, "gpu", QueueHints.NONE);
        engine.advance(3 * SECOND);
        assertThat(percentOf(3, 3 * SECOND)).isCloseTo(100.0 * 5 / 105, within(1.0));
        assertThat(percentOf(1, 3 * SECOND) / percentOf(2, 3 * SECOND)).isCloseTo(70.0 / 30, within(0.15));
    }

    @Test
    void aQueueAloneGetsTheWholeDeviceAndIdleQueuesStayResumed() {
        openReady(1, "npu", utilization(70));
        engine.open(2, "npu", 2, utilization(30));
        engine.advance(SECOND);
        assertThat(percentOf(1, SECOND)).isCloseTo(100, within(0.01));
        assertThat(engine.suspended(2)).isFalse();
        engine.ready(2, true).clearRan();
        engine.advance(SECOND);
        assertThat(percentOf(1, SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, SECOND)).isCloseTo(30, within(3.0));
        engine.ready(1, false);
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isFalse();
    }

    @Test
    void aNewlyReadyQueueGetsItsTurnWithinARound() {
        openReady(1, "gpu", utilization(50));
        openReady(2, "gpu", utilization(50));
        engine.advance(3 * MS);
        openReady(3, "gpu", utilization(50));
        engine.advance(5 * MS + 15 * MS);
        assertThat(engine.ranNanos(3)).isPositive();
    }

    @Test
    void aClosedQueueHandsOverItsTurn() {
        openReady(1, "gpu", utilization(50));
        openReady(2, "gpu", utilization(50));
        assertThat(engine.running(1)).isTrue();
        engine.close(1);
        assertThat(engine.running(2)).isTrue();
    }

    @Test
    void resetForgetsTheRotation() {
        openReady(1, "gpu", utilization(50));
        openReady(2, "gpu", utilization(50));
        engine.advance(6 * MS);
        assertThat(engine.running(2)).isTrue();
        engine.resetPolicy();
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(engine.nanoTime() + 5 * MS);
    }

    @Test
    void theBuiltInDefaultsAreTheMetatypeDefaults() {
        UtilizationPartition.Config defaults = (UtilizationPartition.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UtilizationPartition.Config.class}, (proxy, method, args) -> method.getDefaultValue());
        assertThat(UtilizationPartition.settingsOf(defaults)).isEqualTo(ShareSettings.DEFAULT);
    }
}
