package xsched.demo.internal;

import java.util.List;
import java.util.Locale;

/** Formats the demo's table and its verdict against the project's goals. */
final class DemoReport {
    static final double XSCHED_GOAL = 1.2;
    static final double NATIVE_FLOOR = 2.0;

    private DemoReport() {
    }

    static String table(String device, String workload, DemoRunner.Result alone, List<DemoRunner.Result> rows) {
        StringBuilder out = new StringBuilder();
        out.append("device:   ").append(device).append('\n');
        out.append("workload: ").append(workload).append('\n');
        out.append(String.format(Locale.ROOT, "%-30s %10s %10s %14s %16s%n", "mode", "fg p50 ms", "fg p99 ms", "p99/alone", "bg kernels/s"));
        for (DemoRunner.Result r : rows) {
            out.append(String.format(Locale.ROOT, "%-30s %10.2f %10.2f %13.2fx %16s%n", r.mode(), r.foreground().p50Millis(),
                    r.foreground().p99Millis(), r.foreground().p99Millis() / alone.foreground().p99Millis(),
                    r.backgroundPerSecond() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.backgroundPerSecond())));
        }
        return out.toString();
    }

    static String verdict(DemoRunner.Result alone, DemoRunner.Result nativeBoth, DemoRunner.Result xsched) {
        double xs = xsched.foreground().p99Millis() / alone.foreground().p99Millis();
        double nat = nativeBoth.foreground().p99Millis() / alone.foreground().p99Millis();
        return String.format(Locale.ROOT, "xsched keeps the foreground p99 at %.2fx standalone (goal <= %.1fx: %s); without xsched it is %.2fx (expected >= %.1fx: %s)",
                xs, XSCHED_GOAL, xs <= XSCHED_GOAL ? "met" : "MISSED", nat, NATIVE_FLOOR, nat >= NATIVE_FLOOR ? "yes" : "NO");
    }
}
