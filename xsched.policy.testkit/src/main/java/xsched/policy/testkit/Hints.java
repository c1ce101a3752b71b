package xsched.policy.testkit;

import xsched.spi.policy.QueueHints;

/**
 * Builds {@link QueueHints}: one factory per hint for the common case of a single hint, and a
 * {@link Builder} to combine several. Every hint not set is 0 ("not given"), as in
 * {@link QueueHints#NONE}.
 */
public final class Hints {
    private Hints() {
    }

    /**
     * @param priority fixed priority
     * @return hints with only a priority
     */
    public static QueueHints priority(int priority) {
        return builder().priority(priority).build();
    }

    /**
     * @param percent share of device time in percent
     * @return hints with only a utilization
     */
    public static QueueHints utilization(int percent) {
        return builder().utilization(percent).build();
    }

    /**
     * @param nanos relative deadline
     * @return hints with only a deadline
     */
    public static QueueHints deadline(long nanos) {
        return builder().deadline(nanos).build();
    }

    /**
     * @param nanos            laxity
     * @param laxityPriority   priority within the laxity
     * @param criticalPriority priority once the laxity expired
     * @return hints with only a laxity
     */
    public static QueueHints laxity(long nanos, int laxityPriority, int criticalPriority) {
        return builder().laxity(nanos, laxityPriority, criticalPriority).build();
    }

    /**
     * @param computeUnits compute units the queue wants to itself
     * @return hints with only a reservation of that many units
     */
    public static QueueHints reserve(int computeUnits) {
        return builder().reserve(computeUnits).build();
    }

    /**
     * @param percent a share of the device, 1…99
     * @return hints with only a reservation of that share
     */
    public static QueueHints reservePercent(int percent) {
        return builder().reservePercent(percent).build();
    }

    /** @return a builder with no hint set */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects hints for one {@link QueueHints}; each setter returns the builder. */
    public static final class Builder {
        private int priority;
        private int utilization;
        private int reservedUnits;
        private int reservedPercent;
        private long timesliceNanos;
        private long deadlineNanos;
        private long laxityNanos;
        private int laxityPriority;
        private int criticalPriority;

        private Builder() {
        }

        /**
         * @param priority fixed priority
         * @return this
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * @param computeUnits compute units the queue wants to itself
         * @return this
         */
        public Builder reserve(int computeUnits) {
            this.reservedUnits = computeUnits;
            return this;
        }

        /**
         * @param percent a share of the device the queue wants to itself
         * @return this
         */
        public Builder reservePercent(int percent) {
            this.reservedPercent = percent;
            return this;
        }

        /**
         * @param percent share of device time in percent
         * @return this
         */
        public Builder utilization(int percent) {
            this.utilization = percent;
            return this;
        }

        /**
         * @param nanos timeslice
         * @return this
         */
        public Builder timeslice(long nanos) {
            this.timesliceNanos = nanos;
            return this;
        }

        /**
         * @param nanos relative deadline
         * @return this
         */
        public Builder deadline(long nanos) {
            this.deadlineNanos = nanos;
            return this;
        }

        /**
         * @param nanos            laxity
         * @param laxityPriority   priority within the laxity
         * @param criticalPriority priority once the laxity expired
         * @return this
         */
        public Builder laxity(long nanos, int laxityPriority, int criticalPriority) {
            this.laxityNanos = nanos;
            this.laxityPriority = laxityPriority;
            this.criticalPriority = criticalPriority;
            return this;
        }

        /** @return the hints set so far */
        public QueueHints build() {
            return new QueueHints(priority, utilization, timesliceNanos, deadlineNanos, laxityNanos, laxityPriority, criticalPriority,
                    reservedUnits, reservedPercent);
        }
    }
}
