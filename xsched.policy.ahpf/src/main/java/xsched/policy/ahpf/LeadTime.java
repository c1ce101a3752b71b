package xsched.policy.ahpf;

import java.util.Arrays;

/**
 * How long before a periodic queue's next job its device's lower-priority queues stop: the
 * configured least lead, plus what the queue's own jobs have shown to be missing. The lower queues'
 * work that has already started runs to its end (a level 1 queue's launched commands, a kernel at
 * level 2), and a job that arrives before it ended is busy that much longer than its recent jobs
 * usually are. A job for which the others were held back is late when it was busy longer than the median
 * of the last {@value #KEPT} jobs by more than a tenth of it (at least {@value #LEAST_MARGIN_NANOS}
 * ns): the median, not the fastest, since a job's span as seen across processes scatters by
 * ~100 µs around its true length (the edges' dating), and one short reading would make every
 * ordinary job after it look late.
 * A late job adds to the lead the least excess of the late jobs among the last {@value #KEPT} held
 * for, itself included, provided it is not the only one; every such job on time gives back
 * 1/{@value #GIVE_BACK} of what was added. A lead that falls short makes jobs late again and
 * again; a job slow for reasons of its own (the program's warm-up, a page fault) is rarely
 * followed by another soon, and neither is the first job after the others are held for the first
 * time, which finds all the work they had launched before their window was narrowed: so neither
 * teaches the lead anything alone, and the lead settles where the others' work needs it rather
 * than where the slowest jobs pushed it. Used on the scheduler thread only.
 */
final class LeadTime {
    static final int KEPT = 16;
    static final int GIVE_BACK = 64;
    static final long LEAST_MARGIN_NANOS = 100_000;

    private final long[] spans = new long[KEPT];
    private int count;
    private int next;
    private long added;
    /** How late each of the last jobs held for was, 0 for one on time; a ring as {@link #spans}. */
    private final long[] lates = new long[KEPT];
    private int heldCount;
    private int heldNext;

    /**
     * @param least the configured least lead, nanoseconds
     * @param most  the most the lead may be, nanoseconds
     * @return the lead now
     */
    long nanos(long least, long most) {
        return Math.max(0, Math.min(most, least + added));
    }

    /**
     * A job ended.
     *
     * @param span how long it was busy, from its arrival to its last IDLE edge, nanoseconds
     * @param held whether lower-priority queues were held back before it arrived
     * @param most the most the lead may be, nanoseconds
     */
    void jobEnded(long span, boolean held, long most) {
        if (span < 0) {
            return;
        }
        long typical = count == 0 ? Long.MAX_VALUE : median();
        spans[next] = span;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
        if (!held || typical == Long.MAX_VALUE) {
            return;
        }
        long late = span - typical > Math.max(typical / 10, LEAST_MARGIN_NANOS) ? span - typical : 0;
        if (late == 0) {
            added -= added / GIVE_BACK;
        } else {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < heldCount; i++) {
                if (lates[i] > 0) {
                    least = Math.min(least, lates[i]);
                }
            }
            if (least != Long.MAX_VALUE) {
                added = Math.min(Math.max(0, most), added + Math.min(late, least));
            }
        }
        lates[heldNext] = late;
        heldNext = (heldNext + 1) % KEPT;
        heldCount = Math.min(heldCount + 1, KEPT);
    }

    /** @return the median of the kept spans (the lower middle one of an even count) */
    private long median() {
        long[] kept = Arrays.copyOf(spans, count);
        Arrays.sort(kept);
        return kept[(count - 1) / 2];
    }

    /** @return what the jobs have added to the least lead so far, nanoseconds */
    long added() {
        return added;
    }
}
