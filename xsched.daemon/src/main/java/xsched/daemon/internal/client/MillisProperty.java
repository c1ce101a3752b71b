package xsched.daemon.internal.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole number of milliseconds given as a system property: within its bounds, or the default with a warning saying why. */
final class MillisProperty {
    private static final Logger LOG = LoggerFactory.getLogger(MillisProperty.class);

    private MillisProperty() {
    }

    /**
     * @param property the property's name, for the warning
     * @param text     its value; null or blank for the default, without a warning
     * @param min      the least value accepted
     * @param max      the greatest value accepted ({@link Long#MAX_VALUE}: no bound)
     * @param fallback what an absent or refused value gives
     * @return the milliseconds
     */
    static long parse(String property, String text, long min, long max, long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(text.strip());
            if (ms >= min && ms <= max) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        String range = max == Long.MAX_VALUE ? min + " or more" : "in " + min + "…" + max;
        LOG.warn("{} must be a whole number of milliseconds {}, not '{}'; {} ms it is", property, range, text.strip(), fallback);
        return fallback;
    }
}
