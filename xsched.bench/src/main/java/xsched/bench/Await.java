package xsched.bench;

/**
 * How the benchmark thread waits for the thread it measures: {@code -Dxsched.bench.wait=spin}
 * (default: {@link Thread#onSpinWait()}, the lowest observation delay) or {@code yield}
 * ({@link Thread#yield()}, which gives the CPU away whenever anything else is runnable, in case a
 * spinning observer competes with the measured threads on a machine with few cores). On the
 * 2-core VM of docs/benchmarks/host-jmh.md, yield raised the medians by a few microseconds and left
 * the p99 figures within run-to-run noise.
 */
final class Await {
    static final boolean YIELD = switch (System.getProperty("xsched.bench.wait", "spin")) {
        case "yield" -> true;
        case "spin" -> false;
        default -> throw new IllegalArgumentException("xsched.bench.wait must be spin or yield");
    };

    private Await() {
    }

    static void pause() {
        if (YIELD) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
