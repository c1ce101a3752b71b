package xsched.policy.pup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static xsched.policy.testkit.Hints.utilization;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import xsched.policy.support.ShareSettings;
import xsched.policy.testkit.ScriptedEngine;
import xsched.spi.policy.QueueHints;

class ProcessUtilizationPartitionTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final ProcessUtilizationPartition pup = new ProcessUtilizationPartition();
    private final ScriptedEngine engine = new ScriptedEngine(pup);

    // a process hint looks like this in the status: every queue of the process carries utilization(n)

    private double percentOf(long queue, long elapsed) {
        return engine.ranPercent(queue, elapsed);
    }

    private void openReady(long id, String device, long pid, QueueHints hints) {
        engine.openReady(id, device, pid, hints);
    }

    @Test
    void theQueuesOfAProcessShareItsSlice() {
        openReady(1, "npu", 100, utilization(70));
        openReady(2, "npu", 100, utilization(70));
        openReady(3, "npu", 200, utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(3, 3 * SECOND)).isCloseTo(30, within(3.0));
        // process 100's queues always run together, and never together with process 200's
        assertThat(engine.ranNanos(2)).isEqualTo(engine.ranNanos(1));
        assertThat(engine.ranNanos(1) + engine.ranNanos(3)).isEqualTo(3 * SECOND);
    }

    @Test
    void moreQueuesDoNotBuyAProcessMoreTime() {
        openReady(1, "gpu", 100, QueueHints.NONE);
        openReady(2, "gpu", 100, QueueHints.NONE);
        openReady(3, "gpu", 100, QueueHints.NONE);
        openReady(4, "gpu", 200, QueueHints.NONE);
        engine.advance(2 * SECOND);
        assertThat(percentOf(1, 2 * SECOND)).isCloseTo(50, within(3.0));
        assertThat(percentOf(4, 2 * SECOND)).isCloseTo(50, within(3.0));
    }

    @Test
    void eachDeviceRotatesOnItsOwn() {
        openReady(1, "gpu", 100, utilization(70));
        openReady(2, "npu", 100, utilization(70));
        openReady(3, "npu", 200, utilization(30));
        engine.advance(2 * SECOND);
        assertThat(percentOf(1, 2 * SECOND)).isCloseTo(100, within(0.01));
        assertThat(percentOf(2, 2 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(3, 2 * SECOND)).isCloseTo(30, within(3.0));
    }

    @Test
    void sharesHoldWhenTheSchedulerWakesLate() {
        engine.lateBy(2 * MS, 7);
        openReady(1, "npu", 100, utilization(70));
        openReady(2, "npu", 200, utilization(30));
        engine.advance(3 * SECOND);
        assertThat(percentOf(1, 3 * SECOND)).isCloseTo(70, within(3.0));
        assertThat(percentOf(2, 3 * SECOND)).isCloseTo(30, within(3.0));
    }

    @Test
    void anUnhintedProcessGetsTheFloorAndNeverStarves() {
        openReady(1, "npu", 100, utilization(70));
        openReady(2, "npu", 200, utilization(30));
        openReady(3, "npu", 300, QueueHints.NONE);
        engine.advance(3 * SECOND);
        assertThat(percentOf(3, 3 * SECOND)).isCloseTo(100.0 * 5 / 105, within(1.0));
    }

    @Test
    void idleQueuesStayResumedAndAnIdleProcessGivesUpItsTurn() {
        openReady(1, "npu", 100, utilization(70));
        openReady(2, "npu", 200, utilization(30));
        engine.open(3, "npu", 200, utilization(30));
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        assertThat(engine.suspended(3)).isFalse();
        engine.ready(1, false);
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isFalse();
        engine.ready(3, true);
        assertThat(engine.running(3)).isTrue();
    }

    @Test
    void resetForgetsTheRotation() {
        openReady(1, "gpu", 100, utilization(50));
        openReady(2, "gpu", 200, utilization(50));
        engine.advance(6 * MS);
        assertThat(engine.running(2)).isTrue();
        engine.resetPolicy();
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.pendingTimers()).containsExactly(engine.nanoTime() + 5 * MS);
    }

    @Test
    void theBuiltInDefaultsAreTheMetatypeDefaults() {
        ProcessUtilizationPartition.Config defaults = (ProcessUtilizationPartition.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ProcessUtilizationPartition.Config.class}, (proxy, method, args) -> method.getDefaultValue());
        assertThat(ProcessUtilizationPartition.settingsOf(defaults)).isEqualTo(ShareSettings.DEFAULT);
    }
}
