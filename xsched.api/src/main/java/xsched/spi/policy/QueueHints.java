package xsched.spi.policy;

/**
 * The hints in force for one queue (queue hints override process hints). Durations are in
 * nanoseconds; 0 means "not given".
 *
 * @param priority         fixed priority, 0 if not given
 * @param utilization      share of device time in percent, 0 if not given
 * @param timesliceNanos   timeslice, 0 if not given
 * @param deadlineNanos    relative deadline, 0 if not given
 * @param laxityNanos      laxity, 0 if not given
 * @param laxityPriority   priority within the laxity
 * @param criticalPriority priority once the laxity expired
 */
public record QueueHints(int priority, int utilization, long timesliceNanos, long deadlineNanos,
        long laxityNanos, int laxityPriority, int criticalPriority) {
    /** No hints. */
    public static final QueueHints NONE = new QueueHints(0, 0, 0, 0, 0, 0, 0);
}
