package xsched.shell.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import xsched.api.HintTarget;

/**
 * Parsing of command arguments, with messages a user can act on. Numbers are read at their full
 * width and checked against their range before they are narrowed, so {@code 4294967306} is an
 * error, never a silent 10. Messages quote the text as typed; whoever prints them escapes them
 * ({@link TerminalText}).
 */
final class Arguments {
    private Arguments() {
    }

    /** Parses a whole number that fits a {@code long} (queue ids, process ids). */
    static long integer(String text, String what) {
        return longValue(text, what, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Parses a whole number in {@code min…max}; the message names the range and the value typed. */
    static long longValue(String text, String what, long min, long max) {
        BigInteger value = wholeNumber(text, what);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(what + " must be in " + min + "…" + max + ", not " + text.strip());
        }
        return value.longValue();
    }

    /** Parses a whole number in {@code min…max}, an {@code int} range. */
    static int intValue(String text, String what, int min, int max) {
        return (int) longValue(text, what, min, max);
    }

    private static BigInteger wholeNumber(String text, String what) {
        try {
            return new BigInteger(text.strip());
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
            double nanos = Double.parseDouble(number) * unitNanos;
            // Math.round saturates at Long.MAX_VALUE: reject what it cannot hold rather than clamp it
            if (!(nanos >= 0 && nanos < 0x1p63)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(nanos));
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
