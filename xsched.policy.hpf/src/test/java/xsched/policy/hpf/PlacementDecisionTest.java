package xsched.policy.hpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xsched.policy.support.PlacementRule;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.RecordingPlacement;
import xsched.policy.testkit.RecordingPlacement.Layout;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/** HPF's placement decisions, from the status alone: which queue gets a partition, and what the others do. */
class PlacementDecisionTest {
    private static final PartitionSupport EIGHT_BY_TWO = PartitionSupport.supported(8, "units", 2, 2);

    private final RecordingPlacement placement = new RecordingPlacement().device("d0", EIGHT_BY_TWO);
    private final RecordingContext ctx = new RecordingContext();

    private static QueueStatus queue(long id, String device, boolean ready, QueueHints hints) {
        return new QueueStatusBuilder(id, device).pid(1).ready(ready).hints(hints).build();
    }

    private static QueueHints critical(int priority, int units) {
        return Hints.builder().priority(priority).reserve(units).build();
    }

    private void round(HighestPriorityFirst hpf, QueueStatus... queues) {
        SchedulerStatus status = new SchedulerStatusBuilder(queues).build();
        hpf.place(status, placement.of(status));
        hpf.schedule(status, ctx.clear());
    }

    @Test
    void dynamicSplitsWhileTheReservedQueueIsReadyAndGivesTheDeviceBackWhileItIsIdle() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("dynamic", 0));
        round(hpf, queue(1, "d0", true, critical(5, 3)), queue(2, "d0", true, Hints.priority(1)), queue(3, "d0", true, Hints.priority(0)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 4));
        assertThat(ctx.decided()).as("the reserved queue runs beside the complement; there, highest priority first")
                .containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false);

        round(hpf, queue(1, "d0", false, critical(5, 3)), queue(2, "d0", true, Hints.priority(1)), queue(3, "d0", true, Hints.priority(0)));
        assertThat(placement.layouts()).containsEntry("d0", Layout.WHOLE);
        assertThat(ctx.decided()).containsEntry(2L, true).containsEntry(3L, false);
    }

    @Test
    void staticKeepsTheSplitWhileTheReservedQueueIsIdle() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("static", 0));
        round(hpf, queue(1, "d0", false, critical(5, 2)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 2));
        assertThat(ctx.decided()).containsEntry(1L, true).containsEntry(2L, true);
    }

    @Test
    void sharedKeepsTheReservationReadyOrIdleAndLeavesTheOthersTheWholeDevice() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("shared", 0));
        round(hpf, queue(1, "d0", true, critical(5, 2)), queue(2, "d0", true, Hints.priority(1)), queue(3, "d0", true, Hints.priority(0)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 2, true));
        assertThat(ctx.decided()).as("the reserved queue runs beside the others; among them, highest priority first")
                .containsEntry(1L, true).containsEntry(2L, true).containsEntry(3L, false);

        round(hpf, queue(1, "d0", false, critical(5, 2)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).as("IDLE: the layout stays, nothing moves").containsEntry("d0", new Layout(1, 2, true));
        assertThat(ctx.decided()).containsEntry(2L, true);
    }

    @Test
    void sharedGivesTheTopPriorityQueueItsShareWithoutAHint() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("SHARED", 25));
        round(hpf, queue(1, "d0", false, Hints.priority(9)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).containsEntry("d0", new Layout(1, 2, true));
    }

    @Test
    void offNeverSplitsAndTheHintedQueueCompetesAsUsual() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("off", 50));
        round(hpf, queue(1, "d0", true, critical(5, 2)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).containsEntry("d0", Layout.WHOLE);
        assertThat(ctx.decided()).containsEntry(1L, true).containsEntry(2L, false);
    }

    @Test
    void theHighestPriorityQueueGetsTheConfiguredShareWhenNoQueueHasAHint() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.of("dynamic", 25));
        round(hpf, queue(1, "d0", true, Hints.priority(9)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).as("25 % of 8 units is 2").containsEntry("d0", new Layout(1, 2));

        round(hpf, queue(1, "d0", true, Hints.priority(1)), queue(2, "d0", true, Hints.priority(1)));
        assertThat(placement.layouts()).as("no queue is above every other").containsEntry("d0", Layout.WHOLE);
    }

    @Test
    void aShareIsRoundedByTheDevicesGranularity() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.DEFAULT);
        round(hpf, queue(1, "d0", true, Hints.builder().priority(1).reservePercent(30).build()), queue(2, "d0", true, Hints.priority(0)));
        assertThat(placement.layouts()).as("30 % of 8 is 3 units, rounded to multiples of 2").containsEntry("d0", new Layout(1, 4));
    }

    @Test
    void anOversizedReservationIsRefusedAndTheQueueCompetesOnTheWholeDevice() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.DEFAULT);
        round(hpf, queue(1, "d0", true, critical(1, 8)), queue(2, "d0", true, Hints.priority(5)));
        assertThat(placement.layouts()).containsEntry("d0", Layout.WHOLE);
        assertThat(ctx.decided()).containsEntry(1L, false).containsEntry(2L, true);
    }

    @Test
    void devicesWithoutPartitionsRunWholeAndScheduleAsBefore() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.DEFAULT);
        round(hpf, queue(1, "d1", true, critical(5, 2)), queue(2, "d1", true, Hints.priority(1)));
        assertThat(placement.layouts()).containsEntry("d1", Layout.WHOLE);
        assertThat(ctx.decided()).containsEntry(1L, true).containsEntry(2L, false);
    }

    @Test
    void scheduleWithoutPlaceDecidesAsWithoutPlacement() {
        HighestPriorityFirst hpf = new HighestPriorityFirst(PlacementRule.DEFAULT);
        round(hpf, queue(1, "d0", true, critical(5, 2)), queue(2, "d0", true, Hints.priority(1)));
        hpf.schedule(new SchedulerStatusBuilder(queue(1, "d0", true, critical(5, 2)), queue(2, "d0", true, Hints.priority(1))).build(),
                ctx.clear());
        assertThat(ctx.decided()).containsEntry(1L, true).containsEntry(2L, false);
    }

    @Test
    void aBadPlacementSettingIsRefusedWithAMessage() {
        assertThatThrownBy(() -> PlacementRule.of("sometimes", 0)).hasMessageContaining("dynamic, static, shared or off");
        assertThatThrownBy(() -> PlacementRule.of("static", 100)).hasMessageContaining("0…99");
    }
}
