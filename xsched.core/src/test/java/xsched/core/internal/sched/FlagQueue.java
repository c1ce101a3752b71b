package xsched.core.internal.sched;

import java.util.concurrent.atomic.AtomicInteger;
import xsched.core.engine.ScheduledQueue;

/** A queue with nothing behind it: the test sets readiness, the engine flips the suspension flag. */
final class FlagQueue implements ScheduledQueue {
    private final long id;
    private final String device;
    volatile boolean ready;
    volatile boolean suspended;
    /** When true, suspend() and resume() throw, as a queue mid-teardown might. */
    volatile boolean broken;
    final AtomicInteger operations = new AtomicInteger();

    FlagQueue(long id) {
        this(id, "dev:0");
    }

    FlagQueue(long id, String device) {
        this.id = id;
        this.device = device;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String deviceId() {
        return device;
    }

    @Override
    public long pid() {
        return 1;
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
        operations.incrementAndGet();
        if (broken) {
            throw new IllegalStateException("queue " + id + " is broken");
        }
        suspended = true;
    }

    @Override
    public void resume() {
        operations.incrementAndGet();
        if (broken) {
            throw new NoClassDefFoundError("queue " + id + " lost its classes");
        }
        suspended = false;
    }
}
