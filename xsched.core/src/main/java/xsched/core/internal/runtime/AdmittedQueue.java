package xsched.core.internal.runtime;

import xsched.core.engine.ForeignQueue;
import xsched.core.engine.ScheduledQueue;

/**
 * A foreign queue as the scheduler engine sees it. Remembers the readiness last told to the
 * runtime's count of READY queues, so that each edge moves the count once.
 */
final class AdmittedQueue implements ScheduledQueue {
    private final ForeignQueue queue;
    private final String deviceId;
    private final long pid;
    private boolean counted;

    AdmittedQueue(ForeignQueue queue) {
        this.queue = queue;
        this.deviceId = queue.device().id();
        this.pid = queue.pid();
    }

    ForeignQueue queue() {
        return queue;
    }

    /**
     * @param ready the queue's readiness now
     * @return +1 when it turned READY since last counted, -1 when it turned IDLE, else 0
     */
    synchronized int recount(boolean ready) {
        if (ready == counted) {
            return 0;
        }
        counted = ready;
        return ready ? 1 : -1;
    }

    @Override
    public long id() {
        return queue.id();
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
    public long uid() {
        return queue.uid();
    }

    @Override
    public boolean ready() {
        return queue.ready();
    }

    @Override
    public long readySinceNanos() {
        return queue.readySinceNanos();
    }

    @Override
    public long idleSinceNanos() {
        return queue.idleSinceNanos();
    }

    @Override
    public long drainedSinceNanos() {
        return queue.drainedSinceNanos();
    }

    @Override
    public boolean suspended() {
        return queue.suspended();
    }

    @Override
    public void suspend() {
        queue.suspend();
    }

    @Override
    public void resume() {
        queue.resume();
    }

    @Override
    public String toString() {
        return "foreign queue " + queue.id() + " of pid " + pid;
    }
}
