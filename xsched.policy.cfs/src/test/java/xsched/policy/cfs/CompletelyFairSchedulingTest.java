package xsched.policy.cfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static xsched.policy.testkit.Hints.priority;
import static xsched.policy.testkit.Hints.utilization;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.ScriptedEngine;
import xsched.spi.policy.QueueHints;

class CompletelyFairSchedulingTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final CompletelyFairScheduling cfs = new CompletelyFairScheduling();
    private final ScriptedEngine engine = new ScriptedEngine(cfs);

    private void openReady(long id, String device, QueueHints hints) {
        engine.openReady(id, device, id, hints);
    }

    private double percentOf(long id, long elapsed) {
        return engine.ranPercent(id, elapsed);
    }

    @Test
    void equalWeightsShareEquallyOneAtATime() {
        openReady(1, "gpu", QueueHints.NONE);
        openReady(2, "gpu", QueueHints.NONE);
        openReady(3, "gpu", QueueHints.NONE);
        engine.advance(3 * SECOND);
        for (long id = 1; id <= 3; id++) {
            assertThat(percentOf(id, 3 * SECOND)).isCloseTo(33.3, within(3.0));
        }
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
        // one switch per minimum granularity, not more
        assertThat(engine.runs()).isLessThan((int) (3 * SECOND / MS) + 20);
    }

    @Test
    void utilizationHintsWeighTheShares() {
        openReady(1, "npu", utilization(70));
        openReady(2, "npu", utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, 3 * SECOND)).isCloseTo(30, within(3.0));
    }

    @Test
    void priorityHintsWeighTheSharesLikeNiceLevels() {
        openReady(1, "gpu", priority(5));
        openReady(2, "gpu", priority(0));
        engine.advance(3 * SECOND);
        double heavier = Math.pow(1.2, 5);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(100 * heavier / (heavier + 1), within(3.0));
    }

    @Test
    void sharesHoldWhenTheSchedulerWakesLate() {
        engine.lateBy(2 * MS, 11);
        openReady(1, "npu", utilization(70));
        openReady(2, "npu", utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
    }

    @Test
    void aQueueThatSleptDoesNotTakeTheDeviceForAsLong() {
        openReady(1, "gpu", QueueHints.NONE);
        engine.open(2, "gpu", 2, QueueHints.NONE);
        engine.ready(2, true).advance(100 * MS).ready(2, false);
        engine.advance(2 * SECOND);
        engine.ready(2, true).clearRan();
        engine.advance(SECOND);
        assertThat(percentOf(2, SECOND)).isCloseTo(50, within(3.0));
    }

    @Test
    void aNewQueueStartsLevelWithTheOthers() {
        openReady(1, "gpu", QueueHints.NONE);
        openReady(2, "gpu", QueueHints.NONE);
        engine.advance(SECOND);
        openReady(3, "gpu", QueueHints.NONE);
        engine.clearRan();
        engine.advance(SECOND + SECOND / 2);
        for (long id = 1; id <= 3; id++) {
            assertThat(percentOf(id, SECOND + SECOND / 2)).isCloseTo(33.3, within(3.0));
        }
    }

    @Test
    void theLightestQueueKeepsGettingTurns() {
        openReady(1, "gpu", priority(255));
        openReady(2, "gpu", priority(-255));
        // weights are held 10^4 apart: a 1 ms turn about every 10 s, not one turn ever
        engine.advance(25 * SECOND);
        assertThat(engine.ranNanos(2)).isGreaterThanOrEqualTo(3 * MS);
    }

    @Test
    void devicesAreIndependentAndIdleQueuesStayResumed() {
        openReady(1, "gpu", QueueHints.NONE);
        openReady(2, "gpu", QueueHints.NONE);
        openReady(3, "npu", QueueHints.NONE);
        engine.open(4, "npu", 4, QueueHints.NONE);
        engine.advance(SECOND);
        assertThat(percentOf(3, SECOND)).isCloseTo(100, within(0.01));
        assertThat(engine.suspended(4)).isFalse();
        assertThat(percentOf(1, SECOND)).isCloseTo(50, within(3.0));
    }

    @Test
    void aQueueAloneNeedsNoTimer() {
        openReady(1, "gpu", QueueHints.NONE);
        assertThat(engine.pendingTimers()).isEmpty();
        openReady(2, "gpu", QueueHints.NONE);
        assertThat(engine.pendingTimers()).containsExactly(engine.nanoTime() + MS);
    }

    @Test
    void resetForgetsVirtualRuntimes() {
        openReady(1, "gpu", QueueHints.NONE);
        openReady(2, "gpu", QueueHints.NONE);
        engine.advance(MS + MS / 2);
        assertThat(engine.running(2)).isTrue();
        engine.resetPolicy();
        assertThat(engine.running(1)).isTrue();
    }

    @Test
    void theBuiltInDefaultsAreTheMetatypeDefaults() {
        CompletelyFairScheduling.Config defaults = (CompletelyFairScheduling.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CompletelyFairScheduling.Config.class}, (proxy, method, args) -> method.getDefaultValue());
        assertThat(CompletelyFairScheduling.Settings.of(defaults)).isEqualTo(CompletelyFairScheduling.Settings.DEFAULT);
    }
}
