package xsched.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Scheduling input from users and applications. Every hint validates its values on
 * construction and throws {@link IllegalArgumentException} with a usable message.
 */
public sealed interface Hint {
    /** Lowest priority. */
    int PRIORITY_MIN = -255;
    /** Highest priority. */
    int PRIORITY_MAX = 255;
    /** Shortest timeslice. */
    Duration TIMESLICE_MIN = Duration.ofNanos(100_000);
    /** Longest timeslice. */
    Duration TIMESLICE_MAX = Duration.ofSeconds(10);

    /** @return what this hint applies to */
    HintTarget target();

    /** Fixed priority, {@value #PRIORITY_MIN}…{@value #PRIORITY_MAX}; higher runs first. @param target target @param priority value */
    record Priority(HintTarget target, int priority) implements Hint {
        /** Validates. */
        public Priority {
            requireQueueOrProcess(target, "priority");
            if (priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
                throw new IllegalArgumentException("priority must be in " + PRIORITY_MIN + "…" + PRIORITY_MAX + ", not " + priority);
            }
        }
    }

    /** Share of device time, 0…100 percent. @param target target @param percent value */
    record Utilization(HintTarget target, int percent) implements Hint {
        /** Validates. */
        public Utilization {
            requireQueueOrProcess(target, "utilization");
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("utilization must be in 0…100 percent, not " + percent);
            }
        }
    }

    /** Length of a time slice, 100 µs…10 s; a global target sets the default slice. @param target target @param timeslice value */
    record Timeslice(HintTarget target, Duration timeslice) implements Hint {
        /** Validates. */
        public Timeslice {
            Objects.requireNonNull(target, "target");
            requireBetween(timeslice, TIMESLICE_MIN, TIMESLICE_MAX, "timeslice");
        }
    }

    /** Relative deadline: a queue that turns READY must finish within it. @param target target @param deadline value */
    record Deadline(HintTarget target, Duration deadline) implements Hint {
        /** Validates. */
        public Deadline {
            requireQueueOrProcess(target, "deadline");
            requireBetween(deadline, Duration.ofNanos(1), Duration.ofHours(1), "deadline");
        }
    }

    /**
     * Laxity: after turning READY a queue runs at {@code priority}; once {@code laxity} has passed
     * without it going IDLE it runs at {@code criticalPriority}.
     *
     * @param target           target
     * @param laxity           slack before the queue becomes critical
     * @param priority         priority while within its laxity
     * @param criticalPriority priority once the laxity has expired
     */
    record Laxity(HintTarget target, Duration laxity, int priority, int criticalPriority) implements Hint {
        /** Validates. */
        public Laxity {
            requireQueueOrProcess(target, "laxity");
            requireBetween(laxity, Duration.ZERO, Duration.ofHours(1), "laxity");
            new Priority(target, priority);
            new Priority(target, criticalPriority);
        }
    }

    /**
     * A reservation: the queue wants part of its device's compute units (SMs of a GPU, worker
     * threads of the host XPU) to itself, where the device's backend can partition it
     * ({@code xsched.spi.hal.Backend.Partitioned}) and the active policy places queues. Either a
     * number of compute units or a share of the device; the backend rounds it up to the sizes it can
     * make. Both 0 withdraw the reservation.
     *
     * @param target       a queue or a process
     * @param computeUnits compute units wanted, 0…{@value #MAX_COMPUTE_UNITS}; 0 when a share is given
     * @param percent      share of the device's compute units wanted, 0…99; 0 when a count is given
     */
    record Reservation(HintTarget target, int computeUnits, int percent) implements Hint {
        /** The largest count of compute units a reservation may name. */
        public static final int MAX_COMPUTE_UNITS = 1 << 16;

        /** Validates. */
        public Reservation {
            requireQueueOrProcess(target, "reservation");
            if (computeUnits < 0 || computeUnits > MAX_COMPUTE_UNITS) {
                throw new IllegalArgumentException("a reservation must be 0…" + MAX_COMPUTE_UNITS + " compute units, not " + computeUnits);
            }
            if (percent < 0 || percent > 99) {
                throw new IllegalArgumentException("a reservation must be a share of 0…99 %"
                        + (percent == 100 ? " (the rest of the device must stay for the other queues)" : "") + ", not " + percent + " %");
            }
            if (computeUnits > 0 && percent > 0) {
                throw new IllegalArgumentException("a reservation is a number of compute units or a share, not both");
            }
        }

        /**
         * Parses a reservation as users write it: {@code 16} (compute units), {@code 25%} (a share
         * of the device), or {@code none} / {@code 0} (withdraw).
         *
         * @param target a queue or a process
         * @param text   the reservation
         * @return the hint
         * @throws IllegalArgumentException with a usable message when the text is not one of those
         */
        public static Reservation parse(HintTarget target, String text) {
            java.util.Objects.requireNonNull(text, "reservation");
            String t = text.strip();
            if (t.equalsIgnoreCase("none")) {
                return new Reservation(target, 0, 0);
            }
            boolean share = t.endsWith("%");
            String number = share ? t.substring(0, t.length() - 1).strip() : t;
            int value;
            try {
                value = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a reservation is a number of compute units (16), a share (25%) or none, not '"
                        + text + "'");
            }
            return share ? new Reservation(target, 0, value) : new Reservation(target, value, 0);
        }

        /** @return whether the hint asks for something (false: it withdraws a reservation) */
        public boolean given() {
            return computeUnits > 0 || percent > 0;
        }

        /** @return {@code 16}, {@code 25%} or {@code none}, as {@link #parse} reads it */
        public String describe() {
            return computeUnits > 0 ? Integer.toString(computeUnits) : percent > 0 ? percent + "%" : "none";
        }
    }

    /** The k of k-EDF: at most k queues per device run at once. @param k value, 1…1024 */
    record KEdf(int k) implements Hint {
        /** Validates. */
        public KEdf {
            if (k < 1 || k > 1024) {
                throw new IllegalArgumentException("k must be in 1…1024, not " + k);
            }
        }

        @Override
        public HintTarget target() {
            return HintTarget.global();
        }
    }

    /** The process owning the focused window (for active-window-first). @param pid that process, or -1 for none */
    record ActiveWindow(long pid) implements Hint {
        @Override
        public HintTarget target() {
            return HintTarget.global();
        }
    }

    private static void requireQueueOrProcess(HintTarget target, String what) {
        Objects.requireNonNull(target, "target");
        if (target instanceof HintTarget.Global) {
            throw new IllegalArgumentException(what + " applies to a queue or a process, not globally");
        }
    }

    private static void requireBetween(Duration d, Duration min, Duration max, String what) {
        Objects.requireNonNull(d, what);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be in " + min + "…" + max + ", not " + d);
        }
    }
}
