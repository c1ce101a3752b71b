package xsched.core.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xsched.core.engine.RoundResult;
import xsched.core.engine.SteppedScheduler;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/** The round without a thread, on a clock the test turns. */
class SteppedEngineTest {
    private long now;
    private final SteppedScheduler engine = SchedulerEngine.manual(() -> now);
    private final FlagQueue a = new FlagQueue(1);
    private final FlagQueue b = new FlagQueue(2);

    /** Records each status; asks for one timer 10 ns after its first run, then one more when that fires. */
    private static final class Recorder implements SchedulingPolicy {
        final List<SchedulerStatus> seen = new ArrayList<>();
        int resets;

        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            seen.add(status);
            if (seen.size() == 1 || status.nanoTime() == 10) {
                context.timer(status.nanoTime() + 10);
            }
            context.suspend(1);
        }

        @Override
        public void reset() {
            resets++;
        }
    }

    @Test
    void timersFireExactlyWhenDue() {
        Recorder policy = new Recorder();
        engine.policy("recorder", policy);
        assertThat(engine.runRound().decided()).isTrue();
        assertThat(engine.nextTimerNanos()).hasValue(10);

        now = 9;
        engine.runRound();
        assertThat(engine.pendingTimers()).as("not due at 9").containsExactly(10L);

        now = 10;
        engine.runRound();
        assertThat(engine.pendingTimers()).as("fired at 10, the next one asked for").containsExactly(20L);
        assertThat(policy.seen).extracting(SchedulerStatus::nanoTime).containsExactly(0L, 9L, 10L);

        now = 25;
        engine.runRound();
        assertThat(engine.nextTimerNanos()).isEmpty();
    }

    @Test
    void readinessIsTimedByTheClockAndDecisionsApplyAtOnce() {
        Recorder policy = new Recorder();
        engine.policy("recorder", policy);
        engine.opened(a);
        engine.opened(b);
        b.suspended = true;
        engine.runRound();
        now = 5;
        a.ready = true;
        engine.edge(a);
        engine.runRound();
        assertThat(policy.seen.getLast().queues().getFirst().readySinceNanos()).isEqualTo(5);
        assertThat(a.suspended).as("decided and applied within the round").isTrue();
        assertThat(b.suspended).as("not mentioned, left alone").isTrue();
        assertThat(policy.resets).as("reset once, before its first decision").isEqualTo(1);

        engine.policy("recorder", policy);
        engine.runRound();
        assertThat(policy.resets).as("naming the active policy again resets it once").isEqualTo(2);
    }

    @Test
    void aThrowingPolicyIsReportedAndEveryQueueRuns() {
        AtomicInteger calls = new AtomicInteger();
        engine.opened(a);
        a.suspended = true;
        engine.policy("broken", (status, context) -> {
            calls.incrementAndGet();
            throw new LinkageError("broken policy");
        });
        RoundResult round = engine.runRound();
        assertThat(round.decided()).isFalse();
        assertThat(round.failure()).isInstanceOf(LinkageError.class);
        assertThat(a.suspended).isFalse();
        assertThat(calls).hasValue(1);
    }

    @Test
    void withoutAPolicyEveryQueueRuns() {
        engine.opened(a);
        a.suspended = true;
        assertThat(engine.runRound()).isEqualTo(new RoundResult(false, null));
        assertThat(a.suspended).isFalse();
    }
}
