package xsched.policy.ahpf;

/**
 * The tunables of {@link AnticipatingPriorityFirst}, clamped to their ranges.
 *
 * @param leastLeadNanos  the least time before a periodic queue's next job at which the lower queues stop
 * @param mostLeadPercent the most that time may grow to, as a share of the period
 * @param idleGapNanos    how long a queue must have been IDLE for its next READY edge to start a new job
 */
record AnticipationSettings(long leastLeadNanos, int mostLeadPercent, long idleGapNanos) {
    /** The defaults of {@link AnticipatingPriorityFirst.Config}. */
    static final AnticipationSettings DEFAULT = of(200, 25, 500);

    /**
     * @param leastLeadMicros least lead, µs, clamped to 0…1 000 000
     * @param mostLeadPercent most lead, % of the period, clamped to 0…90
     * @param idleGapMicros   idle gap, µs, clamped to 1…1 000 000
     * @return the settings
     */
    static AnticipationSettings of(long leastLeadMicros, int mostLeadPercent, long idleGapMicros) {
        return new AnticipationSettings(Math.clamp(leastLeadMicros, 0, 1_000_000) * 1_000, Math.clamp(mostLeadPercent, 0, 90),
                Math.clamp(idleGapMicros, 1, 1_000_000) * 1_000);
    }
}
