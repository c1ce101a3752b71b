package xsched.shell.internal;

import java.util.Locale;
import xsched.api.Hint;
import xsched.api.HintTarget;

/** Turns {@code hint} arguments into a {@link Hint}. */
final class HintCommand {
    static final String SYNTAX = "<queue-id | pid:<pid> | global> <kind> <value...>";
    static final String USAGE = "usage: xsched:hint " + SYNTAX
            + "\n  target: a queue id (3), a process (pid:1234), or global"
            + "\n  priority <-255..255> | utilization <0..100> | timeslice <100us..10s>"
            + "\n  deadline <duration> | laxity <duration> <priority> <critical-priority>"
            + "\n  reserve <compute units, e.g. 16 | share, e.g. 25% | none>: a partition of the queue's device to itself"
            + "\n  k <1..1024> (global) | window <pid, or -1 for none> (global)"
            + "\n  durations: 500us, 10ms, 1.5s, 100000ns; a bare number means microseconds";

    private HintCommand() {
    }

    static Hint parse(String... args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("missing arguments");
        }
        HintTarget target = Arguments.target(args[0]);
        String kind = args[1].toLowerCase(Locale.ROOT);
        String value = args[2];
        return switch (kind) {
            case "priority", "prio" -> new Hint.Priority(target, priority(value, "priority"));
            case "utilization", "util" -> new Hint.Utilization(target, Arguments.intValue(value, "utilization", 0, 100));
            case "timeslice", "slice" -> new Hint.Timeslice(target, Arguments.duration(value, "timeslice"));
            case "deadline", "ddl" -> new Hint.Deadline(target, Arguments.duration(value, "deadline"));
            case "laxity" -> {
                if (args.length < 5) {
                    throw new IllegalArgumentException("laxity needs <duration> <priority> <critical-priority>");
                }
                yield new Hint.Laxity(target, Arguments.duration(value, "laxity"),
                        priority(args[3], "priority"), priority(args[4], "critical priority"));
            }
            case "reserve", "reservation" -> {
                if (target instanceof HintTarget.Global) {
                    throw new IllegalArgumentException("reserve applies to a queue or a process: use 'xsched:hint <queue-id | pid:<pid>> reserve "
                            + value + "'");
                }
                yield Hint.Reservation.parse(target, value);
            }
            case "k" -> {
                requireGlobal(target, "k");
                yield new Hint.KEdf(Arguments.intValue(value, "k", 1, 1024));
            }
            case "window" -> {
                requireGlobal(target, "window");
                yield new Hint.ActiveWindow(Arguments.integer(value, "pid"));
            }
            default -> throw new IllegalArgumentException("unknown hint '" + args[1] + "'");
        };
    }

    private static int priority(String text, String what) {
        return Arguments.intValue(text, what, Hint.PRIORITY_MIN, Hint.PRIORITY_MAX);
    }

    private static void requireGlobal(HintTarget target, String kind) {
        if (!(target instanceof HintTarget.Global)) {
            throw new IllegalArgumentException(kind + " is a global hint: use 'xsched:hint global " + kind + " <value>'");
        }
    }
}
