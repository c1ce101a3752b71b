package xsched.api;

/**
 * What xsched can do to a vendor queue to take the device away from it.
 */
public enum PreemptLevel {
    /** Level 1: launch and synchronize. Suspending stops launching; latency is bounded by the in-flight window. */
    LAUNCH(1),
    /** Level 2: commands launched but not yet running are deactivated and relaunched later. */
    DEACTIVATE(2),
    /** Level 3: a running command is interrupted and later resumed or redone. */
    INTERRUPT(3);

    private final int number;

    PreemptLevel(int number) {
        this.number = number;
    }

    /** @return 1, 2 or 3 */
    public int number() {
        return number;
    }

    /**
     * @param number 1, 2 or 3
     * @return the level with that number
     * @throws IllegalArgumentException for any other number
     */
    public static PreemptLevel of(int number) {
        for (PreemptLevel level : values()) {
            if (level.number == number) {
                return level;
            }
        }
        throw new IllegalArgumentException("preempt level must be 1, 2 or 3, not " + number);
    }

    /**
     * Parses "1", "2", "3", "lv2", "LAUNCH", "deactivate", … .
     *
     * @param text the level as a user typed it
     * @return the level
     * @throws IllegalArgumentException with a usable message when the text names no level
     */
    public static PreemptLevel parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("lv")) {
            t = t.substring(2);
        }
        for (PreemptLevel level : values()) {
            if (t.equals(String.valueOf(level.number)) || t.equals(level.name().toLowerCase(java.util.Locale.ROOT))) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown preempt level '" + text + "'; use 1 (launch), 2 (deactivate) or 3 (interrupt)");
    }
}
