package xsched.api;

/**
 * Progressive-launching parameters of an {@link XQueue}.
 *
 * @param threshold the most commands launched to the hardware queue and not yet known complete
 * @param batchSize a synchronization point is recorded after every {@code batchSize} launched commands
 */
public record LaunchConfig(int threshold, int batchSize) {
    /** The defaults: threshold 16, batch 8. */
    public static final LaunchConfig DEFAULT = new LaunchConfig(16, 8);

    /**
     * @throws IllegalArgumentException when a value is not positive or the batch exceeds the threshold
     */
    public LaunchConfig {
        if (threshold <= 0) {
            throw new IllegalArgumentException("threshold must be > 0, not " + threshold);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, not " + batchSize);
        }
        if (batchSize > threshold) {
            throw new IllegalArgumentException(
                    "batch size " + batchSize + " must not exceed threshold " + threshold);
        }
    }
}
