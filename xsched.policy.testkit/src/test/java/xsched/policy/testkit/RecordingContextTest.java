package xsched.policy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulerStatus;

class RecordingContextTest {
    @Test
    void theLastDecisionPerQueueCountsUntilCleared() {
        RecordingContext ctx = new RecordingContext(42);
        ctx.suspend(1);
        ctx.resume(2);
        ctx.resume(1);
        ctx.timer(50);
        assertThat(ctx.nanoTime()).isEqualTo(42);
        assertThat(ctx.decided()).containsExactly(Map.entry(1L, true), Map.entry(2L, true));
        assertThat(ctx.timers()).containsExactly(50L);
        ctx.clear();
        assertThat(ctx.decided()).isEmpty();
        assertThat(ctx.timers()).isEmpty();
        assertThat(ctx.nanoTime()).isEqualTo(42);
    }

    @Test
    void refusedTimersFail() {
        RecordingContext ctx = new RecordingContext().refuseTimers();
        assertThatThrownBy(() -> ctx.timer(7)).isInstanceOf(AssertionError.class);
    }

    @Test
    void buildersDefaultToNotGiven() {
        assertThat(new QueueStatusBuilder(3, "gpu").build().pid()).isEqualTo(3);
        assertThat(new QueueStatusBuilder(3, "gpu").build().hints()).isEqualTo(QueueHints.NONE);
        assertThat(new SchedulerStatusBuilder().build())
                .isEqualTo(new SchedulerStatus(0, List.of(), 1, -1, 0));
        assertThat(Hints.builder().deadline(5).priority(2).build())
                .isEqualTo(new QueueHints(2, 0, 0, 5, 0, 0, 0));
    }
}
