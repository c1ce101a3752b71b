package xsched.run.agent;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import xsched.api.DirectLane;

/**
 * A stream's direct lane as the interposer keeps it: one 64-bit word of credits, which the
 * interposer's wrappers take by atomic decrement, each for one launch they make themselves
 * ({@code xsched_interpose_lane}). Opening stores the credits; the launches made are what was taken
 * since: the credits given less those left (a wrapper that finds none drives the word below zero
 * and goes to the agent, so a negative count means none left). The queue calls every method under
 * its lock, so the counts here need no guard of their own.
 */
final class CreditLane implements DirectLane {
    private static final VarHandle CREDITS = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment word;
    private final LongAdder made;
    private int given;
    private int counted;

    /**
     * @param word the lane's credits, 8 bytes, 8-aligned, shared with the interposer
     * @param made where the launches made through the lane are counted
     */
    CreditLane(MemorySegment word, LongAdder made) {
        this.word = word.reinterpret(Long.BYTES);
        this.made = made;
    }

    @Override
    public void open(int launches) {
        given = launches;
        counted = 0;
        CREDITS.setVolatile(word, 0L, (long) launches);
    }

    @Override
    public int pull() {
        return counted(given - (int) Math.max((long) CREDITS.getVolatile(word, 0L), 0));
    }

    @Override
    public int close() {
        int newly = counted(given - (int) Math.max((long) CREDITS.getAndSet(word, 0L, 0L), 0));
        given = 0;
        counted = 0;
        return newly;
    }

    private int counted(int taken) {
        int newly = taken - counted;
        counted = taken;
        made.add(newly);
        return newly;
    }
}
