package xsched.run.agent;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The warm-up's direct lane ({@link WarmUp}): a word of credits of its own, outside the
 * interposer's table, which the warm-up takes from as the interposer's wrappers take from a
 * program stream's lane. So the warm-up also runs what a program with lanes runs at each call that
 * comes up to the agent: the launches made through the lane counted into the window, the lane
 * closed and opened again.
 */
final class WarmLane implements AppStreams.Lanes {
    private static final VarHandle CREDITS = ValueLayout.JAVA_LONG.varHandle();

    /** Freed by the collector: the warm-up's queue may close its lane after the warm-up returned. */
    private final MemorySegment word = Arena.ofAuto().allocate(CreditLane.WORDS * Long.BYTES, Long.BYTES);

    @Override
    public MemorySegment creditsOf(long stream) {
        return word;
    }

    @Override
    public void free(long stream) {
        // the word is the warm-up's alone; the collector frees it
    }

    /**
     * Takes a credit as the interposer's wrapper does ({@code xs_lane_take}): a load, then an atomic
     * decrement that may drive the word below zero; a credit taken counts a launch made at once
     * (the warm-up makes none).
     *
     * @return whether a launch may skip the agent
     */
    boolean take() {
        boolean taken = (long) CREDITS.getVolatile(word, 0L) > 0 && (long) CREDITS.getAndAdd(word, 0L, -1L) > 0;
        if (taken) {
            CREDITS.getAndAdd(word, (long) Long.BYTES, 1L);
        }
        return taken;
    }
}
