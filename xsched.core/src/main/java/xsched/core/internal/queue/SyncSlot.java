package xsched.core.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.spi.hal.SyncPoint;

/**
 * A sync point in a queue's launch window, with the sequence number it covers and how many
 * threads are waiting on it. It leaves the window when it is retired or cancelled; the point is
 * closed once it has left and nobody waits on it, so a point is never closed under a waiter.
 * Guarded by the queue's lock.
 */
final class SyncSlot {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSlot.class);

    final SyncPoint point;
    final long through;
    final long recordedAt;
    private int users;
    private boolean gone;
    private boolean closed;

    SyncSlot(SyncPoint point, long through, long recordedAt) {
        this.point = point;
        this.through = through;
        this.recordedAt = recordedAt;
    }

    void use() {
        users++;
    }

    void release() {
        users--;
        closeIfUnused();
    }

    boolean gone() {
        return gone;
    }

    /** The slot left the window. */
    void leave() {
        gone = true;
        closeIfUnused();
    }

    private void closeIfUnused() {
        if (gone && users == 0 && !closed) {
            closed = true;
            try {
                point.close();
            } catch (Throwable t) {
                LOG.warn("closing a sync point failed", t);
            }
        }
    }
}
