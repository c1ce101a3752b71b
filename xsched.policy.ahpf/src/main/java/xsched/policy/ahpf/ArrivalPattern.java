package xsched.policy.ahpf;

import java.util.Arrays;

/**
 * When one queue's jobs arrive, and whether they arrive at a steady period: the intervals between
 * its last {@value #KEPT} arrivals, their median as the period, and how far the steady ones stray
 * from it. A queue becomes periodic once at least three intervals are known and two in three of them
 * lie within an eighth of the median (an interval that skipped a job, or a pause, is an outlier and
 * does not count); it stays periodic while half of them do. One late arrival makes two intervals
 * stray (the one before it and the one after), so without that margin two late arrivals among eight
 * would lose the period, and a host's hiccup often delays a few jobs in a row. The jitter is how far
 * three in four of the steady intervals stray from the period at most.
 *
 * <p>A job is due one period after the last arrival ({@link #expected()}), unless the jobs keep to
 * a grid (a program that sleeps until the next multiple of its period) and the last one was late:
 * wake-ups are late, never early, so the next job may come as early as the kept arrivals carried
 * forward on the period say, where most of them agree ({@link #earliestDue()}), an eighth of the
 * period before {@link #expected()} at most. Used on the scheduler thread only.
 */
final class ArrivalPattern {
    /** Intervals kept: enough to ride over an outlier, few enough to follow a change of period. */
    static final int KEPT = 8;
    private static final int LEAST = 3;

    private final long[] intervals = new long[KEPT];
    /** The last arrivals, the last one included: a ring, filled from 0 after a restart, {@code arrivalCount} of them valid. */
    private final long[] arrivals = new long[KEPT + 1];
    /** Scratch for {@link #earliestDue()}: each kept arrival carried forward. */
    private final long[] carried = new long[KEPT + 1];
    private int count;
    private int next;
    private int nextArrival;
    private int arrivalCount;
    private long lastArrival = Long.MIN_VALUE;
    private long period;
    private long jitter;

    /**
     * A job arrived.
     *
     * @param atNanos when, on the scheduler clock; an arrival before the last one is taken as a
     *                restart (the intervals are forgotten)
     */
    void arrived(long atNanos) {
        if (lastArrival != Long.MIN_VALUE) {
            long interval = atNanos - lastArrival;
            if (interval <= 0) {
                count = 0;
                next = 0;
                nextArrival = 0;
                arrivalCount = 0;
            } else {
                intervals[next] = interval;
                next = (next + 1) % KEPT;
                count = Math.min(count + 1, KEPT);
            }
        }
        lastArrival = atNanos;
        arrivals[nextArrival] = atNanos;
        nextArrival = (nextArrival + 1) % arrivals.length;
        arrivalCount = Math.min(arrivalCount + 1, arrivals.length);
        estimate();
    }

    private void estimate() {
        boolean was = period > 0;
        period = 0;
        jitter = 0;
        if (count < LEAST) {
            return;
        }
        long[] sorted = Arrays.copyOf(intervals, count);
        Arrays.sort(sorted);
        long median = sorted[count / 2];
        long tolerance = median / 8;
        long[] offs = new long[count];
        int steady = 0;
        for (long i : sorted) {
            long off = Math.abs(i - median);
            if (off <= tolerance) {
                offs[steady++] = off;
            }
        }
        if (was ? 2 * steady >= count : 3 * steady >= 2 * count) {
            Arrays.sort(offs, 0, steady);
            period = median;
            // three in four of the steady intervals: one late wake-up must not widen every window
            jitter = offs[(3 * steady - 1) / 4];
        }
    }

    /** @return whether the queue's jobs arrive at a steady period */
    boolean periodic() {
        return period > 0;
    }

    /** @return the period, nanoseconds; 0 while not {@linkplain #periodic() periodic} */
    long period() {
        return period;
    }

    /** @return how far three in four of the steady intervals stray from the period at most, nanoseconds; 0 while not periodic */
    long jitter() {
        return jitter;
    }

    /** @return when the last job arrived, or {@link Long#MIN_VALUE} before the first */
    long lastArrival() {
        return lastArrival;
    }

    /** @return when the next job is due: the last arrival plus the period; meaningful while periodic */
    long expected() {
        return lastArrival + period;
    }

    /**
     * @return the earliest the next job may come: each kept arrival carried forward by whole periods
     *         to the one after the last arrival, the earliest of them that more than half of them
     *         agree with (within the jitter: the grid), yet an eighth of the period before {@link
     *         #expected()} at most; {@link #expected()} when no grid shows (arrivals that drift,
     *         each a period after the last, scatter when carried forward); meaningful while periodic
     */
    long earliestDue() {
        long due = expected();
        if (period <= 0) {
            return due;
        }
        long bound = due - period / 8;
        long tolerance = Math.max(jitter, period / 64);
        for (int i = 0; i < arrivalCount; i++) {
            carried[i] = arrivals[i] + (Math.round((double) (lastArrival - arrivals[i]) / period) + 1) * period;
        }
        for (int i = 0; i < arrivalCount; i++) {
            long candidate = carried[i];
            if (candidate < due && candidate >= bound) {
                int agree = 0;
                for (int j = 0; j < arrivalCount; j++) {
                    if (Math.abs(carried[j] - candidate) <= tolerance) {
                        agree++;
                    }
                }
                if (2 * agree > arrivalCount) {
                    due = candidate;
                }
            }
        }
        return due;
    }
}
