package xsched.bench;

import xsched.core.internal.queue.ManagedQueue;

/**
 * A queue as the scheduler engine sees it, with nothing behind it: {@link #suspend()} and
 * {@link #resume()} only flip a flag and log the time in a shared {@link OpLog}, so a decision's
 * latency is the engine's and the policy's alone.
 */
final class FakeQueue implements ManagedQueue {
    /**
     * What the engine applied. The scheduler thread counts operations in a field of its own and
     * publishes once, when the count reaches the target the benchmark thread set before the edge;
     * so a benchmark thread spinning on {@link #done} does not pull a cache line away from the
     * engine once per operation (with 999 operations per decision that doubled the latency).
     */
    static final class OpLog {
        /** Scheduler thread only; the count sits mid-array, away from the volatile fields' line. */
        private final long[] applied = new long[32];
        /** Written by the benchmark thread before each edge. */
        volatile long target = Long.MAX_VALUE;
        /** The count and the time of the operation that reached the target. */
        volatile long doneNanos;
        volatile long done;

        void applied(long nanos) {
            long n = ++applied[16];
            if (n == target) {
                doneNanos = nanos;
                done = n;
            }
        }

        /** @return operations applied so far; only while the engine is quiet (after a sync or a completed wait) */
        long settled() {
            return applied[16];
        }
    }

    private final long id;
    private final long pid;
    private final String deviceId;
    private final OpLog log;
    volatile boolean ready;
    private volatile boolean suspended;

    FakeQueue(long id, long pid, String deviceId, OpLog log) {
        this.id = id;
        this.pid = pid;
        this.deviceId = deviceId;
        this.log = log;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public boolean suspended() {
        return suspended;
    }

    @Override
    public void suspend() {
        long now = System.nanoTime();
        suspended = true;
        log.applied(now);
    }

    @Override
    public void resume() {
        long now = System.nanoTime();
        suspended = false;
        log.applied(now);
    }
}
