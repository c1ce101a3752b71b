package xsched.run.agent;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import xsched.api.DirectLane;

/**
 * A stream's direct lane as the interposer keeps it ({@code xsched_interpose_lane}): two 64-bit
 * words, the credits, which the interposer's wrappers take by atomic decrement, each for one launch
 * they make themselves, and the launches made, which a wrapper counts once its driver call
 * returned. Opening stores the credits. What the queue learns is what was made, never what was only
 * taken: a launch whose credit was taken may still be in its driver call, and a sync point the
 * queue records now would lie before it in the stream, so the queue would take the stream for done
 * while that launch runs. Closing therefore spins, at most {@value #PATIENCE_MICROS} µs (it holds
 * the queue's lock, maybe on the policy's thread), until every launch whose credit was taken is made
 * (a wrapper that finds no credit drives the word below zero and goes to the agent, so a negative
 * count means none left); a launch longer in the driver than that (a copy to pageable memory, a
 * graph's first upload) is counted when the queue next looks after it returned, and no close waits
 * for it again. The queue calls every method under its lock, so the counts here need no guard of
 * their own.
 */
final class CreditLane implements DirectLane {
    /** The lane's words: the credits, then the launches made. */
    static final long WORDS = 2;
    private static final long CREDITS_AT = 0;
    private static final long MADE_AT = Long.BYTES;
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    /** How long a close waits for launches in the driver: a launch's driver call takes microseconds. */
    private static final long PATIENCE_MICROS = 500;

    private final MemorySegment words;
    private final LongAdder stats;
    private final long patienceNanos;
    private int given;
    /** The launches taken through the lane, as known at the last close, counted as the made word counts. */
    private long taken;
    /** The made word's value the queue has been told of. */
    private long counted;

    /**
     * @param words the lane's two words, 16 bytes, 8-aligned, shared with the interposer
     * @param made  where the launches made through the lane are counted
     */
    CreditLane(MemorySegment words, LongAdder made) {
        this(words, made, TimeUnit.MICROSECONDS.toNanos(PATIENCE_MICROS));
    }

    /** @param patienceNanos how long a close waits for the launches taken to be made */
    CreditLane(MemorySegment words, LongAdder made, long patienceNanos) {
        this.words = words.reinterpret(WORDS * Long.BYTES);
        this.stats = made;
        this.patienceNanos = patienceNanos;
        // a lane the interposer kept for the stream since an earlier queue: its count goes on
        this.counted = madeWord();
        this.taken = counted;
    }

    @Override
    public void open(int launches) {
        given = launches;
        WORD.setVolatile(words, CREDITS_AT, (long) launches);
    }

    @Override
    public int pull() {
        return count(madeWord());
    }

    @Override
    public int close() {
        long left = Math.max((long) WORD.getAndSet(words, CREDITS_AT, 0L), 0);
        taken += given - left;
        given = 0;
        long made = madeOnceReturned(taken);
        // what is still in the driver now is counted when it returns; no later close waits for it
        taken = Math.min(taken, made);
        return count(made);
    }

    private long madeWord() {
        return (long) WORD.getVolatile(words, MADE_AT);
    }

    /**
     * @param target the launches taken so far
     * @return the made word once it reached {@code target}, or as it is after the patience (a
     *         call still in the driver then is counted when the queue next looks)
     */
    private long madeOnceReturned(long target) {
        long made = madeWord();
        if (made >= target) {
            return made;
        }
        long start = System.nanoTime();
        while ((made = madeWord()) < target) {
            if (System.nanoTime() - start >= patienceNanos) {
                Say.once("a call made through a stream's direct lane was still in the driver after "
                        + TimeUnit.NANOSECONDS.toMicros(patienceNanos) + " µs when its queue closed the lane; the queue counts it when it returns");
                return made;
            }
            Thread.onSpinWait();
        }
        return made;
    }

    private int count(long made) {
        if (made <= counted) {
            return 0;
        }
        int newly = (int) (made - counted);
        counted = made;
        stats.add(newly);
        return newly;
    }
}
