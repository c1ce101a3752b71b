package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/** The effective level of a queue from its hardware queue's kind and its launched commands. */
class StopReachTest {
    /** A command that says what it allows. */
    private record Cmd(String describe, boolean deactivatable, boolean idempotent) implements HwCommand {
    }

    /** A command that throws when asked. */
    private static final class Rude implements HwCommand {
        @Override
        public boolean deactivatable() {
            throw new IllegalStateException("asked too early");
        }

        @Override
        public String describe() {
            throw new IllegalStateException("no name");
        }
    }

    /** A level-1 hardware queue. */
    private static class Plain implements HwQueue {
        @Override
        public void accept(HwCommand command) {
        }

        @Override
        public void launch(HwCommand command) {
        }

        @Override
        public SyncPoint record() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void synchronize() {
        }

        @Override
        public void close() {
        }
    }

    /** A gate: level 2, holding. */
    private static class Gate extends Plain implements HwQueue.Holding {
        @Override
        public void deactivate() {
        }

        @Override
        public void reactivate(List<HwCommand> log) {
        }
    }

    /** A gate with interrupt points: level 3. */
    private static final class InterruptibleGate extends Gate implements HwQueue.Interruptible {
        @Override
        public void interrupt() {
        }

        @Override
        public void restore(List<HwCommand> log) {
        }
    }

    private static final Cmd GUARDED = new Cmd("guarded", true, false);
    private static final Cmd INTERRUPTIBLE = new Cmd("interruptible", true, true);
    private static final Cmd OPAQUE = new Cmd("opaque<<<132,1024>>>", false, false);

    @Test
    void levelOneStopsLaunchingWhateverIsLaunched() {
        assertThat(StopReach.of(PreemptLevel.LAUNCH, new InterruptibleGate(), List.of(INTERRUPTIBLE)))
                .isEqualTo(new StopReach(1, StopReach.LAUNCH, null));
    }

    @Test
    void withNothingLaunchedTheReachIsWhatTheLevelOffers() {
        assertThat(StopReach.of(PreemptLevel.DEACTIVATE, new Gate(), List.of())).isEqualTo(new StopReach(2, StopReach.PART, null));
        assertThat(StopReach.of(PreemptLevel.INTERRUPT, new InterruptibleGate(), List.of()))
                .isEqualTo(new StopReach(3, StopReach.INTERRUPT, null));
    }

    @Test
    void levelThreeHoldsWhileEveryLaunchedCommandCanBeInterrupted() {
        assertThat(StopReach.of(PreemptLevel.INTERRUPT, new InterruptibleGate(), List.of(INTERRUPTIBLE, INTERRUPTIBLE)))
                .isEqualTo(new StopReach(3, StopReach.INTERRUPT, null));
    }

    @Test
    void aCommandWithoutInterruptPointsCapsLevelThreeBetweenParts() {
        StopReach reach = StopReach.of(PreemptLevel.INTERRUPT, new InterruptibleGate(), List.of(INTERRUPTIBLE, GUARDED));
        assertThat(reach.level()).isEqualTo(2);
        assertThat(reach.stopsAt()).isEqualTo(StopReach.PART);
        assertThat(reach.note()).contains("'guarded'").contains("not idempotent");
    }

    @Test
    void anOpaqueCommandCapsTheStopAtItsEndWhereverItStands() {
        for (List<HwCommand> launched : List.<List<HwCommand>>of(List.of(INTERRUPTIBLE, OPAQUE), List.of(OPAQUE, GUARDED),
                List.of(GUARDED, OPAQUE, INTERRUPTIBLE))) {
            StopReach reach = StopReach.of(PreemptLevel.INTERRUPT, new InterruptibleGate(), launched);
            assertThat(reach.level()).as("%s", launched).isEqualTo(2);
            assertThat(reach.stopsAt()).isEqualTo(StopReach.COMMAND);
            assertThat(reach.note()).contains("'opaque<<<132,1024>>>'").contains("finishes");
        }
        assertThat(StopReach.of(PreemptLevel.DEACTIVATE, new Gate(), List.of(OPAQUE)).stopsAt()).isEqualTo(StopReach.COMMAND);
    }

    @Test
    void theHardwareQueueCapsTheLevelItCannotDo() {
        StopReach noInterrupts = StopReach.of(PreemptLevel.INTERRUPT, new Gate(), List.of(INTERRUPTIBLE));
        assertThat(noInterrupts.level()).isEqualTo(2);
        assertThat(noInterrupts.stopsAt()).isEqualTo(StopReach.PART);
        assertThat(noInterrupts.note()).contains("no interrupt points");

        StopReach noStop = StopReach.of(PreemptLevel.DEACTIVATE, new Plain(), List.of(GUARDED));
        assertThat(noStop.level()).isEqualTo(1);
        assertThat(noStop.stopsAt()).isEqualTo(StopReach.LAUNCH);
        assertThat(noStop.note()).contains("cannot be stopped on the device");
    }

    @Test
    void aCommandThatCannotAnswerIsTakenForOneThatCannotBeStopped() {
        StopReach reach = StopReach.of(PreemptLevel.INTERRUPT, new InterruptibleGate(), List.of(INTERRUPTIBLE, new Rude()));
        assertThat(reach.level()).isEqualTo(2);
        assertThat(reach.stopsAt()).isEqualTo(StopReach.COMMAND);
        assertThat(reach.note()).contains("'Rude'");
    }

    @Test
    void beforeItsFirstHardwareQueueAQueueIsAtLevelOne() {
        assertThat(StopReach.of(null, null, List.of())).isEqualTo(new StopReach(1, StopReach.LAUNCH, null));
    }
}
