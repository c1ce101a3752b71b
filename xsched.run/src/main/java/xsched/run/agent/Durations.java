package xsched.run.agent;

import java.time.Duration;
import java.util.Locale;

/** Durations as people write them: 500us, 2ms, 1.5s, 100000ns; a bare number means microseconds. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('µ', 'u');
        long unit;
        String number;
        if (t.endsWith("ns")) {
            unit = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unit = 1_000_000;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000;
            number = t.substring(0, t.length() - 1);
        } else {
            unit = 1_000;
            number = t;
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value) || value * unit > 3_600e9) {
            throw new IllegalArgumentException("must be a duration such as 500us, 10ms or 1s, up to 1 h, not '" + text.strip() + "'");
        }
        return Duration.ofNanos(Math.round(value * unit));
    }
}
