package xsched.backend.host;

import xsched.spi.hal.SyncPoint;

/** A marker in a host device's stream of work. */
final class HostSyncPoint implements SyncPoint {
    private static final int PENDING = 0, REACHED = 1, CANCELLED = 2;
    private int state = PENDING;

    synchronized void reach() {
        if (state == PENDING) {
            state = REACHED;
            notifyAll();
        }
    }

    synchronized void cancel() {
        if (state == PENDING) {
            state = CANCELLED;
            notifyAll();
        }
    }

    @Override
    public synchronized boolean reached() {
        return state == REACHED;
    }

    @Override
    public synchronized boolean await() throws InterruptedException {
        while (state == PENDING) {
            wait();
        }
        return state == REACHED;
    }
}
