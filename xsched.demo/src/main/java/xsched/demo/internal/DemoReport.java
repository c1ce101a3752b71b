package xsched.demo.internal;

import java.util.List;
import java.util.Locale;

/** Formats the demo's table and its verdict against the project's goal. */
final class DemoReport {
    /** The goal: with xsched, the foreground p99 is at most this multiple of its p99 alone. */
    static final double XSCHED_GOAL = 1.2;
    /** Without xsched the foreground p99 must be at least this multiple of alone, or the background did not interfere enough to show anything. */
    static final double NATIVE_FLOOR = 2.0;

    /**
     * The run against the goal.
     *
     * @param xschedRatio foreground p99 with xsched over p99 alone
     * @param nativeRatio foreground p99 without xsched over p99 alone
     */
    record Verdict(double xschedRatio, double nativeRatio) {
        /** @return whether xsched kept the foreground p99 within the goal */
        boolean xschedMet() {
            return xschedRatio <= XSCHED_GOAL;
        }

        /** @return whether the background hurt the foreground enough without xsched for the comparison to mean something */
        boolean nativeShowsInterference() {
            return nativeRatio >= NATIVE_FLOOR;
        }

        /** @return whether the goal was met: both of the above */
        boolean met() {
            return xschedMet() && nativeShowsInterference();
        }

        /** @return the final line: whether the goal was met, with the figures */
        String line() {
            return String.format(Locale.ROOT, "verdict: goal %s: foreground p99 with xsched %.2fx standalone (goal <= %.1fx: %s), "
                            + "without xsched %.2fx (must be >= %.1fx: %s)",
                    met() ? "MET" : "NOT MET", xschedRatio, XSCHED_GOAL, xschedMet() ? "met" : "missed",
                    nativeRatio, NATIVE_FLOOR, nativeShowsInterference() ? "yes" : "no");
        }
    }

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

    static Verdict verdict(DemoRunner.Result alone, DemoRunner.Result nativeBoth, DemoRunner.Result xsched) {
        double p99Alone = alone.foreground().p99Millis();
        return new Verdict(xsched.foreground().p99Millis() / p99Alone, nativeBoth.foreground().p99Millis() / p99Alone);
    }
}
