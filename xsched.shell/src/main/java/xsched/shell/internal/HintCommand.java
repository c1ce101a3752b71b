package xsched.shell.internal;

import java.util.Locale;
import xsched.api.Hint;
import xsched.api.HintTarget;

/** Turns {@code hint} arguments into a {@link Hint}. */
final class HintCommand {
    static final String USAGE = """
            usage: xsched:hint <target> <kind> <value...>
              target: a queue id (3), a process (pid:1234), or global
              priority <-255..255> | utilization <0..100> | timeslice <100us..10s>
              deadline <duration> | laxity <duration> <priority> <critical-priority>
              k <1..1024> (global) | window <pid> (global)""";

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
            case "priority", "prio" -> new Hint.Priority(target, (int) Arguments.integer(value, "priority"));
            case "utilization", "util" -> new Hint.Utilization(target, (int) Arguments.integer(value, "utilization"));
            case "timeslice", "slice" -> new Hint.Timeslice(target, Arguments.duration(value, "timeslice"));
            case "deadline", "ddl" -> new Hint.Deadline(target, Arguments.duration(value, "deadline"));
            case "laxity" -> {
                if (args.length < 5) {
                    throw new IllegalArgumentException("laxity needs <duration> <priority> <critical-priority>");
                }
                yield new Hint.Laxity(target, Arguments.duration(value, "laxity"),
                        (int) Arguments.integer(args[3], "priority"), (int) Arguments.integer(args[4], "critical priority"));
            }
            case "k" -> {
                requireGlobal(target, "k");
                yield new Hint.KEdf((int) Arguments.integer(value, "k"));
            }
            case "window" -> {
                requireGlobal(target, "window");
                yield new Hint.ActiveWindow(Arguments.integer(value, "pid"));
            }
            default -> throw new IllegalArgumentException("unknown hint '" + args[1] + "'");
        };
    }

    private static void requireGlobal(HintTarget target, String kind) {
        if (!(target instanceof HintTarget.Global)) {
            throw new IllegalArgumentException(kind + " is a global hint: use 'xsched:hint global " + kind + " <value>'");
        }
    }
}
