package xsched.shell.internal;

import java.time.Duration;
import java.util.Locale;
import xsched.api.HintTarget;

/** Parsing of command arguments, with messages a user can act on. */
final class Arguments {
    private Arguments() {
    }

    static long integer(String text, String what) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, not '" + text + "'");
        }
    }

    /** Parses 500us, 2ms, 1.5s, 100000ns; a bare number means microseconds. */
    static Duration duration(String text, String what) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('µ', 'u');
        long unitNanos;
        String number;
        if (t.endsWith("ns")) {
            unitNanos = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unitNanos = 1_000;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            unitNanos = 1_000_000;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unitNanos = 1_000_000_000;
            number = t.substring(0, t.length() - 1);
        } else {
            unitNanos = 1_000;
            number = t;
        }
        try {
            double value = Double.parseDouble(number);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(value * unitNanos));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a duration such as 500us, 10ms or 1s, not '" + text + "'");
        }
    }

    /** Parses a queue id ("3"), a process ("pid:1234") or "global". */
    static HintTarget target(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("global")) {
            return HintTarget.global();
        }
        if (t.startsWith("pid:")) {
            return HintTarget.process(integer(t.substring(4), "process id"));
        }
        return HintTarget.queue(integer(t, "queue id"));
    }
}
