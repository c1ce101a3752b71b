package xsched.api;

/**
 * Progressive-launching parameters of an {@link XQueue}.
 *
 * <p>Its text form, {@code threshold/batch} (for example {@code 64/16}), is read by {@link #parse}
 * and written by {@link #describe}.
 *
 * @param threshold the most commands launched to the hardware queue and not yet known complete (a queue
 *                  whose direct lane the device keeps up with may stretch it, see {@link XQueue#directLane})
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

    /**
     * Reads a launch window written as {@code threshold/batch}: two whole numbers and a slash, with
     * white space around each number allowed and nothing else (as in {@code 64/16} or {@code 64 / 16}).
     *
     * @param text the text
     * @return the launch window
     * @throws IllegalArgumentException with a message that quotes the text when it is not of that form,
     *                                  or with the constructor's message when a number is out of range
     */
    public static LaunchConfig parse(CharSequence text) {
        java.util.Objects.requireNonNull(text, "launch window");
        String t = text.toString();
        int slash = t.indexOf('/');
        if (slash < 0 || t.indexOf('/', slash + 1) >= 0) {
            throw malformed(t);
        }
        return new LaunchConfig(number(t, t.substring(0, slash), "threshold"), number(t, t.substring(slash + 1), "batch size"));
    }

    /** @return the text form, {@code threshold/batch}, as {@link #parse} reads it */
    public String describe() {
        return threshold + "/" + batchSize;
    }

    private static int number(String text, String part, String what) {
        String p = part.strip();
        if (!p.matches("-?[0-9]+")) {
            throw malformed(text);
        }
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) { // digits, so too many of them: say the range at the number's real width
            throw new IllegalArgumentException(p.startsWith("-")
                    ? what + " must be > 0, not " + p
                    : what + " must be at most " + Integer.MAX_VALUE + ", not " + p);
        }
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException(
                "a launch window is threshold/batch, two whole numbers such as 64/16, not '" + text + "'");
    }
}
