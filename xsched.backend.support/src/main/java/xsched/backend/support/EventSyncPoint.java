package xsched.backend.support;

import java.util.Objects;
import xsched.spi.hal.SyncPoint;

/**
 * A sync point: a native event (a CUDA event, an OpenCL marker's event) the queue placed after its
 * {@code through}-th command. Reached when the event completes; if the driver reports an error
 * instead, the commands before it fail with that error and the point counts as reached, so the
 * queue moves on. Closing it hands the event back to the queue, once.
 */
public final class EventSyncPoint implements SyncPoint {
    /** What a queue does for its points; each call names the point's event and command count. */
    public interface Events {
        /** @return whether the event completed (an error counts as completed and fails the commands) */
        boolean query(long event, long through);

        /**
         * Blocks until the event completed or failed (a failure fails the commands).
         *
         * @return true when reached, false when the wait was given up and the point stays valid
         */
        boolean await(long event, long through);

        /** Ends the commands up to {@code through}, with {@code failure} or ({@code null}) without. */
        void retire(long through, Throwable failure);

        /** Takes back the event of a closed point. */
        void release(long event);
    }

    private final Events queue;
    private final long event;
    private final long through;
    private volatile boolean done;
    private boolean closed;

    /**
     * @param queue   the queue whose event this is
     * @param event   the native event handle
     * @param through how many commands the queue had launched before it
     */
    public EventSyncPoint(Events queue, long event, long through) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.event = event;
        this.through = through;
    }

    /** A point whose event could not be placed: already done, its commands failed with {@code failure}. */
    public static EventSyncPoint failed(Events queue, long through, Throwable failure) {
        queue.retire(through, failure);
        EventSyncPoint point = new EventSyncPoint(queue, 0, through);
        point.done = true;
        point.closed = true;
        return point;
    }

    /** @return the native event handle, 0 for a failed point */
    public long event() {
        return event;
    }

    /** @return how many commands the queue had launched before it */
    public long through() {
        return through;
    }

    @Override
    public boolean reached() {
        if (!done) {
            done = queue.query(event, through);
        }
        return done;
    }

    @Override
    public boolean await() {
        if (!done) {
            if (!queue.await(event, through)) {
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
            queue.release(event);
        }
    }
}
