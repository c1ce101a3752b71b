package xsched.demo.internal;

import java.util.concurrent.locks.LockSupport;

/** Periodic foreground jobs; each job's latency runs from its arrival to its completion. */
final class Foreground {
    /** How one job is launched and waited for. */
    interface JobRunner {
        void runJob() throws InterruptedException;
    }

    private Foreground() {
    }

    /**
     * @param warmup jobs run first and not counted
     * @param jobs   jobs counted
     * @return latencies of the counted jobs, nanoseconds
     */
    static long[] run(JobRunner runner, long periodNanos, int warmup, int jobs) throws InterruptedException {
        long[] latencies = new long[jobs];
        long start = System.nanoTime();
        for (int i = 0; i < warmup + jobs; i++) {
            long arrival = start + i * periodNanos;
            long wait;
            while ((wait = arrival - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            runner.runJob();
            if (i >= warmup) {
                latencies[i - warmup] = System.nanoTime() - arrival;
            }
        }
        return latencies;
    }
}
