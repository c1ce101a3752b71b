package xsched.policy.mlfq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.ScriptedEngine;
import xsched.spi.policy.QueueHints;

class MultiLevelFeedbackQueueTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final ScriptedEngine engine = new ScriptedEngine(new MultiLevelFeedbackQueue());

    private static void openReady(ScriptedEngine engine, long id, String device) {
        engine.openReady(id, device, id, QueueHints.NONE);
    }

    @Test
    void aQueueThatUsesUpItsQuantumDropsALevelAndANewQueuePreemptsIt() {
        long start = engine.nanoTime();
        openReady(engine, 1, "gpu");
        assertThat(engine.pendingTimers()).contains(start + 10 * MS);
        engine.advance(15 * MS);
        // demoted at 10 ms: level 1, quantum 20 ms
        assertThat(engine.pendingTimers()).contains(start + 30 * MS);
        openReady(engine, 2, "gpu");
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.suspended(1)).isTrue();
        engine.advance(10 * MS);
        // queue 2 used its 10 ms and is on level 1 too, behind queue 1, which has 15 ms left there
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        assertThat(engine.pendingTimers()).contains(start + 40 * MS);
    }

    @Test
    void theGlobalTimesliceSetsTheBaseQuantum() {
        engine.globalTimeslice(4 * MS);
        long start = engine.nanoTime();
        openReady(engine, 1, "gpu");
        engine.advance(5 * MS);
        assertThat(engine.pendingTimers()).contains(start + 4 * MS + 8 * MS);
    }

    @Test
    void shortBurstsPreemptALongRunningQueueAtOnce() {
        openReady(engine, 1, "npu");
        engine.open(2, "npu", 2, QueueHints.NONE);
        engine.advance(200 * MS);
        for (int frame = 0; frame < 40; frame++) {
            engine.ready(2, true);
            assertThat(engine.running(2)).as("frame %d", frame).isTrue();
            engine.advance(3 * MS);
            engine.ready(2, false);
            engine.advance(37 * MS);
        }
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
    }

    @Test
    void longRunningQueuesTakeTurnsOnTheBottomLevel() {
        openReady(engine, 1, "gpu");
        openReady(engine, 2, "gpu");
        engine.advance(3 * SECOND);
        assertThat(100.0 * engine.ranNanos(1) / (3 * SECOND)).isCloseTo(50, within(3.0));
        assertThat(100.0 * engine.ranNanos(2) / (3 * SECOND)).isCloseTo(50, within(3.0));
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
    }

    @Test
    void beforeABoostANewcomerPreemptsTheDemotedQueue() {
        ScriptedEngine boosted = new ScriptedEngine(new MultiLevelFeedbackQueue(new MultiLevelFeedbackQueue.Settings(4, 10 * MS, 200 * MS)));
        openReady(boosted, 1, "gpu");
        boosted.advance(190 * MS);
        openReady(boosted, 2, "gpu");
        assertThat(boosted.running(2)).isTrue();
        assertThat(boosted.suspended(1)).isTrue();
    }

    @Test
    void afterABoostTheDemotedQueueIsBackOnTop() {
        ScriptedEngine boosted = new ScriptedEngine(new MultiLevelFeedbackQueue(new MultiLevelFeedbackQueue.Settings(4, 10 * MS, 200 * MS)));
        long start = boosted.nanoTime();
        openReady(boosted, 1, "gpu");
        boosted.advance(160 * MS);
        assertThat(boosted.pendingTimers()).contains(start + 200 * MS);
        boosted.advance(45 * MS);
        openReady(boosted, 2, "gpu");
        // both on the top level now: the holder keeps the device until its quantum is used up
        assertThat(boosted.running(1)).isTrue();
        assertThat(boosted.suspended(2)).isTrue();
    }

    @Test
    void theBoostEndsStarvationUnderAStreamOfNewcomers() {
        assertThat(ranUnderNewcomers(new MultiLevelFeedbackQueue())).isPositive();
        MultiLevelFeedbackQueue neverBoosts = new MultiLevelFeedbackQueue(new MultiLevelFeedbackQueue.Settings(4, 10 * MS, 600 * SECOND));
        assertThat(ranUnderNewcomers(neverBoosts)).isZero();
    }

    /** @return how long queue 1 ran while a newcomer arrived every 20 ms for 1.2 s */
    private static long ranUnderNewcomers(MultiLevelFeedbackQueue mlfq) {
        ScriptedEngine engine = new ScriptedEngine(mlfq);
        openReady(engine, 1, "gpu");
        engine.advance(200 * MS);
        engine.clearRan();
        for (long newcomer = 100; newcomer < 160; newcomer++) {
            openReady(engine, newcomer, "gpu");
            engine.advance(20 * MS);
            engine.close(newcomer);
        }
        return engine.ranNanos(1);
    }

    @Test
    void devicesAreIndependentAndIdleQueuesStayResumed() {
        openReady(engine, 1, "gpu");
        openReady(engine, 2, "gpu");
        openReady(engine, 3, "npu");
        engine.open(4, "npu", 4, QueueHints.NONE);
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
        assertThat(engine.running(3)).isTrue();
        assertThat(engine.suspended(4)).isFalse();
    }

    @Test
    void resetPutsEveryQueueBackOnTop() {
        openReady(engine, 1, "gpu");
        engine.advance(15 * MS);
        engine.resetPolicy();
        openReady(engine, 2, "gpu");
        assertThat(engine.running(1)).isTrue();
        assertThat(engine.suspended(2)).isTrue();
    }

    @Test
    void theBuiltInDefaultsAreTheMetatypeDefaults() {
        MultiLevelFeedbackQueue.Config defaults = (MultiLevelFeedbackQueue.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MultiLevelFeedbackQueue.Config.class}, (proxy, method, args) -> method.getDefaultValue());
        assertThat(MultiLevelFeedbackQueue.Settings.of(defaults)).isEqualTo(MultiLevelFeedbackQueue.Settings.DEFAULT);
    }
}
