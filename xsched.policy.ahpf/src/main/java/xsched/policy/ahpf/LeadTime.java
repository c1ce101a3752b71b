package xsched.policy.ahpf;

import java.util.Arrays;

/**
 * How long before a periodic queue's next job its device's lower-priority queues stop: the
 * configured least lead, plus what the queue's own jobs have shown to be missing. The lower queues'
 * work that has already started runs to its end (a level 1 queue's launched commands, a kernel at
 * level 2), and a job that arrives before it ended is busy that much longer than its fastest recent
 * job. So a job for which the others were held back, and that was busy longer than the fastest of
 * the last {@value #KEPT} by more than a tenth of it (at least {@value #LEAST_MARGIN_NANOS} ns), adds
 * the difference to the lead; every such job that was not longer gives back 1/{@value #GIVE_BACK} of
 * what was added. A job can be slow for reasons of its own, which no lead cures: the margin keeps
 * most of those from counting, and giving back keeps the rest from adding up, so the lead settles
 * where the jobs held up by the others' work, and by how much, balance what is given back. Used on
 * the scheduler thread only.
 */
final class LeadTime {
    static final int KEPT = 16;
    static final int GIVE_BACK = 256;
    static final long LEAST_MARGIN_NANOS = 100_000;

    private final long[] spans = new long[KEPT];
    private int count;
    private int next;
    private long added;

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
     * @param most the most the lead may be, nanoseconds; 0 or less while the queue's period is not
     *             known, when the job teaches nothing (what was added stays, for when the period is
     *             found again: a burst of late arrivals must not undo what the jobs taught)
     */
    void jobEnded(long span, boolean held, long most) {
        if (span < 0) {
            return;
        }
        long fastest = count == 0 ? Long.MAX_VALUE : Arrays.stream(spans, 0, count).min().orElseThrow();
        spans[next] = span;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
        if (!held || fastest == Long.MAX_VALUE || most <= 0) {
            return;
        }
        if (span > fastest + Math.max(fastest / 10, LEAST_MARGIN_NANOS)) {
            added = Math.min(Math.max(0, most), added + (span - fastest));
        } else {
            added -= added / GIVE_BACK;
        }
    }

    /** @return what the jobs have added to the least lead so far, nanoseconds */
    long added() {
        return added;
    }
}
