package xsched.policy.ahpf;

import java.util.Arrays;

/**
 * How long the lower-priority queues of one device take to leave it to others once suspended: from
 * the round that suspended a queue with work to the moment its launched work had all ended, as the
 * queue's owner dated it ({@code QueueStatus.drainedSinceNanos}). That is what a periodic queue's
 * lead is for, measured rather than inferred from the jobs' spans, which scatter for reasons of
 * their own. The need is the longest of the last {@value #KEPT} drains: a lead shorter than one of
 * them lets that much of a lower queue's work run into the job. (On the H200, a GEMM loop's drains
 * under MPS: p50 0.8 ms, p99 1.9 ms, a few of 2.2–3.1 ms, where a second GEMM was launched as the
 * suspension came, and one of 8 ms in 450.) Used on the scheduler thread only.
 */
final class DrainTime {
    static final int KEPT = 32;
    /** How many drains it takes before the need is told: a first one or two may be short by chance. */
    static final int LEAST = 4;

    private final long[] drains = new long[KEPT];
    private int count;
    private int next;

    /** @param nanos how long one suspended queue took to drain, nanoseconds (negative ones are left out) */
    void drained(long nanos) {
        if (nanos < 0) {
            return;
        }
        drains[next] = nanos;
        next = (next + 1) % KEPT;
        count = Math.min(count + 1, KEPT);
    }

    /** @return the longest of the recent drains, nanoseconds, or -1 before the first {@value #LEAST} */
    long need() {
        return count < LEAST ? -1 : Arrays.stream(drains, 0, count).max().orElseThrow();
    }
}
