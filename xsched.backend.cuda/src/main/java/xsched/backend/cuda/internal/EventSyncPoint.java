package xsched.backend.cuda.internal;

import xsched.spi.hal.SyncPoint;

/**
 * A sync point: a pooled event recorded on the queue's stream after its {@code through}-th
 * command. Reached when the event completes ({@code cuEventQuery}, {@code cuEventSynchronize});
 * if the driver reports an error instead, the commands before it fail with that error and the
 * point counts as reached, so the queue moves on. Closing it returns the event to the pool.
 */
final class EventSyncPoint implements SyncPoint {
    private final EventStream queue;
    private final long event;
    private final long through;
    private volatile boolean done;
    private boolean closed;

    EventSyncPoint(EventStream queue, long event, long through) {
        this.queue = queue;
        this.event = event;
        this.through = through;
    }

    /** A point whose record failed: already done, its commands failed with {@code failure}. */
    static EventSyncPoint failed(EventStream queue, long through, Throwable failure) {
        queue.retire(through, failure);
        EventSyncPoint point = new EventSyncPoint(queue, 0, through);
        point.done = true;
        point.closed = true;
        return point;
    }

    long event() {
        return event;
    }

    long through() {
        return through;
    }

    @Override
    public boolean reached() {
        if (!done) {
            done = queue.query(this);
        }
        return done;
    }

    @Override
    public boolean await() {
        if (!done) {
            if (!queue.await(this)) {
                return false;
            }
            done = true;
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            queue.release(this);
        }
    }
}
