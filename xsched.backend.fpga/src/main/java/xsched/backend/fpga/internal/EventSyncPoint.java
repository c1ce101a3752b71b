package xsched.backend.fpga.internal;

import xsched.spi.hal.SyncPoint;

/**
 * A sync point: the event of a marker enqueued after the queue's {@code through}-th command. Reached
 * when the event completes; a negative status (a command before it failed or was terminated) fails
 * the commands before it and counts as reached, so the queue moves on. Closing it releases the event.
 */
final class EventSyncPoint implements SyncPoint {
    private final OpenClQueue queue;
    private final long event;
    private final long through;
    private volatile boolean done;
    private boolean closed;

    EventSyncPoint(OpenClQueue queue, long event, long through) {
        this.queue = queue;
        this.event = event;
        this.through = through;
    }

    /** A point whose marker could not be enqueued: done, its commands failed with {@code failure}. */
    static EventSyncPoint failed(OpenClQueue queue, long through, Throwable failure) {
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
            queue.await(this);
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
