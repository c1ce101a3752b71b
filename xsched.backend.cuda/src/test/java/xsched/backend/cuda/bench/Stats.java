package xsched.backend.cuda.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/** Small helpers: percentiles, medians, per-thread CPU time, formatting. */
final class Stats {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Stats() {
    }

    static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int index = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.clamp(index, 0, v.length - 1)];
    }

    static double median(double[] values) {
        return percentile(values, 50);
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** @return CPU nanoseconds of the threads named {@code name} */
    static long cpuNanosOfThreads(String name) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                long cpu = THREADS.getThreadCpuTime(t.threadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    /** @return CPU nanoseconds of the calling thread */
    static long cpuNanosOfThisThread() {
        return THREADS.getCurrentThreadCpuTime();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (left > 200_000) {
                try {
                    Thread.sleep(0, (int) Math.min(left - 100_000, 999_999));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
