package xsched.policy.support;

import java.util.Comparator;
import xsched.spi.policy.QueueStatus;

/**
 * The order of the deadline policies (edf, kedf): earliest absolute deadline first, then the queue
 * READY longest, then the lowest id.
 */
public final class DeadlineOrder {
    private DeadlineOrder() {
    }

    /**
     * @param fallback relative deadline for queues without a hint, 0 for none
     * @return the order of READY queues, earliest deadline first
     */
    public static Comparator<QueueStatus> earliestFirst(long fallback) {
        return Comparator.<QueueStatus>comparingLong(q -> absoluteDeadline(q, fallback))
                .thenComparingLong(QueueStatus::readySinceNanos)
                .thenComparingLong(QueueStatus::id);
    }

    /**
     * @param q        a READY queue
     * @param fallback relative deadline for queues without a hint, 0 for none
     * @return when it is due on the scheduler clock, {@link Long#MAX_VALUE} for never
     */
    public static long absoluteDeadline(QueueStatus q, long fallback) {
        long relative = q.hints().deadlineNanos() > 0 ? q.hints().deadlineNanos() : fallback;
        if (relative <= 0 || q.readySinceNanos() > Long.MAX_VALUE - relative) {
            return Long.MAX_VALUE;
        }
        return q.readySinceNanos() + relative;
    }
}
