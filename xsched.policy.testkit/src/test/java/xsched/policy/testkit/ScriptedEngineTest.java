package xsched.policy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

class ScriptedEngineTest {
    private static final long MS = 1_000_000L;

    /** Alternates every millisecond between the first READY queue and the others. */
    private static final class Alternate implements SchedulingPolicy {
        private long turnEnds = -1;
        private long turn;

        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            if (context.nanoTime() >= turnEnds) {
                turn += turnEnds < 0 ? 0 : 1;
                turnEnds = context.nanoTime() + MS;
                context.timer(turnEnds);
            }
            boolean contested = status.queues().stream().filter(QueueStatus::ready).count() > 1;
            boolean first = true;
            for (QueueStatus q : status.queues()) {
                if (q.ready() && contested && first != (turn % 2 == 0)) {
                    context.suspend(q.id());
                } else {
                    context.resume(q.id());
                }
                first &= !q.ready();
            }
        }

        @Override
        public void reset() {
            turnEnds = -1;
            turn = 0;
        }
    }

    @Test
    void runTimeIsAddedUpWhileReadyAndResumed() {
        ScriptedEngine engine = new ScriptedEngine(new Alternate());
        engine.openReady(1, "gpu", 1, QueueHints.NONE).openReady(2, "gpu", 2, QueueHints.NONE);
        engine.advance(100 * MS);
        assertThat(engine.ranNanos(1) + engine.ranNanos(2)).isEqualTo(100 * MS);
        assertThat(engine.ranPercent(1, 100 * MS)).isEqualTo(50.0);
        assertThat(engine.mostRunningOnOneDevice()).isEqualTo(1);
        assertThat(engine.pendingTimers()).containsExactly(engine.nanoTime() + MS);
    }

    @Test
    void idleQueuesDoNotRunAndClosedOnesAreGone() {
        ScriptedEngine engine = new ScriptedEngine((status, context) -> status.queues().forEach(q -> context.resume(q.id())));
        engine.open(1, "gpu", 1, QueueHints.NONE).openReady(2, "gpu", 2, QueueHints.NONE);
        engine.advance(10 * MS);
        assertThat(engine.ranNanos(1)).isZero();
        assertThat(engine.ranNanos(2)).isEqualTo(10 * MS);
        assertThat(engine.running(2)).isTrue();
        assertThat(engine.runs()).isEqualTo(3);
        engine.close(2).clearRan();
        engine.advance(MS);
        assertThat(engine.ranNanos(2)).isZero();
    }

    @Test
    void lateTimersStillFireAndResetDropsThem() {
        ScriptedEngine engine = new ScriptedEngine(new Alternate()).lateBy(MS / 2, 1);
        engine.openReady(1, "gpu", 1, QueueHints.NONE).openReady(2, "gpu", 2, QueueHints.NONE);
        engine.advance(100 * MS);
        assertThat(engine.ranNanos(1)).isPositive();
        assertThat(engine.ranNanos(2)).isPositive();
        engine.resetPolicy();
        assertThat(engine.pendingTimers()).containsExactly(engine.nanoTime() + MS);
    }

    @Test
    void aTimerLoopFails() {
        ScriptedEngine engine = new ScriptedEngine((status, context) -> context.timer(context.nanoTime()));
        assertThatThrownBy(() -> engine.schedule().advance(MS)).isInstanceOf(AssertionError.class).hasMessageContaining("timer loop");
    }
}
