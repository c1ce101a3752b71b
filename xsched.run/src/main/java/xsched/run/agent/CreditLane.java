package xsched.run.agent;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import xsched.api.DirectLane;

/**
 * A stream's direct lane as the interposer keeps it ({@code xsched_interpose_lane}): two 64-bit
 * words, the credits, which the interposer's wrappers take by atomic decrement, each for one launch
 * they make themselves, and the launches made, which a wrapper counts once its driver call
 * returned. Opening stores the credits. What the queue learns is what was made, never what was only
 * taken: a launch whose credit was taken may still be in its driver call, and a sync point the
 * queue records now would lie before it in the stream, so the queue would take the stream for done
 * while that launch runs. Closing therefore waits, briefly and at most {@value #PATIENCE_MILLIS}
 * ms, for every launch whose credit was taken to be made (a wrapper that finds no credit drives
 * the word below zero and goes to the agent, so a negative count means none left). The queue calls
 * every method under its lock, so the counts here need no guard of their own.
 */
final class CreditLane implements DirectLane {
    /** The lane's words: the credits, then the launches made. */
    static final long WORDS = 2;
    private static final long CREDITS_AT = 0;
    private static final long MADE_AT = Long.BYTES;
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final long PATIENCE_MILLIS = 10;
    /** How long a close spins before it parks between looks: a driver call takes microseconds. */
    private static final long SPIN_NANOS = 50_000;

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
        this(words, made, TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS));
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
        return count(madeOnceReturned(taken));
    }

    private long madeWord() {
        return (long) WORD.getVolatile(words, MADE_AT);
    }

    /**
     * @param target the launches taken so far
     * @return the made word once it reached {@code target}, or as it is after the patience (a
     *         launch still in the driver then is counted when the queue next looks)
     */
    private long madeOnceReturned(long target) {
        long made = madeWord();
        if (made >= target) {
            return made;
        }
        long start = System.nanoTime();
        while ((made = madeWord()) < target) {
            long waited = System.nanoTime() - start;
            if (waited >= patienceNanos) {
                Say.once("a launch made through a stream's direct lane was still in the driver after "
                        + TimeUnit.NANOSECONDS.toMillis(patienceNanos) + " ms when its queue closed the lane; the queue counts it when it returns");
                return made;
            }
            if (waited < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000);
            }
        }
        return made;
    }

    private int count(long made) {
        int newly = (int) (made - counted);
        counted = made;
        stats.add(newly);
        return newly;
    }
}
