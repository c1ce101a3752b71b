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
 * @param reservedUnits    compute units the queue wants to itself ({@link xsched.api.Hint.Reservation}), 0 if not given
 * @param reservedPercent  share of its device's compute units the queue wants to itself, 0 if not given
 */
public record QueueHints(int priority, int utilization, long timesliceNanos, long deadlineNanos,
        long laxityNanos, int laxityPriority, int criticalPriority, int reservedUnits, int reservedPercent) {
    /** No hints. */
    public static final QueueHints NONE = new QueueHints(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Hints without a reservation.
     *
     * @param priority         fixed priority, 0 if not given
     * @param utilization      share of device time in percent, 0 if not given
     * @param timesliceNanos   timeslice, 0 if not given
     * @param deadlineNanos    relative deadline, 0 if not given
     * @param laxityNanos      laxity, 0 if not given
     * @param laxityPriority   priority within the laxity
     * @param criticalPriority priority once the laxity expired
     */
    public QueueHints(int priority, int utilization, long timesliceNanos, long deadlineNanos, long laxityNanos, int laxityPriority,
            int criticalPriority) {
        this(priority, utilization, timesliceNanos, deadlineNanos, laxityNanos, laxityPriority, criticalPriority, 0, 0);
    }

    /** @return whether a reservation is given, in compute units or as a share */
    public boolean reserves() {
        return reservedUnits > 0 || reservedPercent > 0;
    }

    /**
     * @param reservedUnits   compute units wanted, 0 for none
     * @param reservedPercent share wanted, 0 for none
     * @return a copy with that reservation
     */
    public QueueHints withReservation(int reservedUnits, int reservedPercent) {
        return new QueueHints(priority, utilization, timesliceNanos, deadlineNanos, laxityNanos, laxityPriority, criticalPriority,
                reservedUnits, reservedPercent);
    }
}
