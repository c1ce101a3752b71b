package xsched.core.internal.queue;

import java.util.function.BooleanSupplier;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;

/**
 * How far a stop of a queue would reach now: the level its hardware queue and its launched
 * commands allow (its <em>effective</em> level, at most the level it asked for), and where its
 * running work would stop. A queue at level 3 whose running kernel cannot be cut off inside its
 * blocks stops between blocks (effective level 2); one whose running command cannot be stopped at
 * all (an opaque kernel behind a CUDA stream gate) lets that command finish, and nothing behind it
 * starts (still level 2: launched commands are held). With nothing launched, the reach is what the
 * level offers.
 *
 * @param level   the effective level, 1…3
 * @param stopsAt {@link #LAUNCH}, {@link #COMMAND}, {@link #PART} or {@link #INTERRUPT}
 * @param note    why the reach is below the level asked for, naming the command that caps it; null when it is not
 */
public record StopReach(int level, String stopsAt, String note) {
    /** Level 1: nothing more is launched; launched commands run to their end. */
    public static final String LAUNCH = "launch";
    /** Level 2: the running command finishes; launched commands behind it do not start. */
    public static final String COMMAND = "command";
    /** Level 2: running commands stop at their next part boundary (a GPU kernel: between blocks). */
    public static final String PART = "part";
    /** Level 3: running parts stop at their next interrupt point and are redone later. */
    public static final String INTERRUPT = "interrupt";

    /**
     * @param asked    the queue's level (null before its first hardware queue opened: level 1)
     * @param hw       its hardware queue, or null while it has none
     * @param launched its launched commands not known ended, oldest first
     * @return the reach of a stop now
     */
    static StopReach of(PreemptLevel asked, HwQueue hw, Iterable<HwCommand> launched) {
        if (asked == null || asked == PreemptLevel.LAUNCH) {
            return new StopReach(1, LAUNCH, null);
        }
        if (hw == null) {
            return new StopReach(asked.number(), asked == PreemptLevel.INTERRUPT ? INTERRUPT : PART, null);
        }
        if (!(hw instanceof HwQueue.Deactivatable)) {
            return new StopReach(1, LAUNCH, "its hardware queue cannot be stopped on the device: only launching stops");
        }
        boolean interrupts = asked == PreemptLevel.INTERRUPT && hw instanceof HwQueue.Interruptible;
        String note = asked == PreemptLevel.INTERRUPT && !interrupts ? "its hardware queue has no interrupt points" : null;
        String stopsAt = interrupts ? INTERRUPT : PART;
        for (HwCommand c : launched) {
            if (!asks(c::deactivatable)) {
                return new StopReach(2, COMMAND, "'" + describe(c) + "' cannot be stopped once it runs: it finishes, and what is "
                        + "launched behind it waits");
            }
            if (interrupts && !asks(c::idempotent)) {
                interrupts = false;
                stopsAt = PART;
                note = "'" + describe(c) + "' is not idempotent: it stops between its parts (blocks), not inside them";
            }
        }
        return new StopReach(interrupts ? 3 : 2, stopsAt, note);
    }

    /** A command that cannot answer is taken for one that cannot be stopped. */
    private static boolean asks(BooleanSupplier question) {
        try {
            return question.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String describe(HwCommand c) {
        try {
            return c.describe();
        } catch (RuntimeException e) {
            return c.getClass().getSimpleName();
        }
    }
}
