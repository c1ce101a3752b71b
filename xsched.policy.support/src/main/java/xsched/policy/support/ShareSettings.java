package xsched.policy.support;

/**
 * The validated tunables of a share policy (up, pup): each bundle keeps its own metatype
 * {@code Config} and PID, and turns it into these.
 *
 * @param timesliceNanos         average slice per member when no global timeslice hint is given
 * @param unhintedMinUtilization least share, %, of a member without a utilization hint
 * @param minSliceNanos          shortest slice ever given
 */
public record ShareSettings(long timesliceNanos, int unhintedMinUtilization, long minSliceNanos) {
    /** The metatype defaults: 5 ms, 5 %, 100 µs. */
    public static final ShareSettings DEFAULT = new ShareSettings(5_000_000, 5, 100_000);

    /**
     * Clamps configured values to their documented ranges.
     *
     * @param timesliceUs            100…10 000 000 µs
     * @param unhintedMinUtilization 1…100 %
     * @param minSliceUs             10…1 000 000 µs
     * @return the settings
     */
    public static ShareSettings of(long timesliceUs, long unhintedMinUtilization, long minSliceUs) {
        return new ShareSettings(clamp(timesliceUs, 100, 10_000_000) * 1_000, (int) clamp(unhintedMinUtilization, 1, 100),
                clamp(minSliceUs, 10, 1_000_000) * 1_000);
    }

    private static long clamp(long v, long min, long max) {
        return Math.min(max, Math.max(min, v));
    }
}
