package xsched.backend.levelzero.internal.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;
import xsched.backend.levelzero.internal.ze.ZeResults;

/**
 * Host-visible events of one context, made {@value #BLOCK} at a time in Level Zero event pools and
 * reused: an event given back is reset and reused once it has been signalled; one given back before
 * (a point closed early) waits until the device has signalled it, so a late signal never lands on a
 * new point.
 */
final class EventPool implements EventSource {
    static final int BLOCK = 64;

    private final long context;
    private final List<Long> pools = new ArrayList<>();
    private final List<Long> events = new ArrayList<>();
    private final ArrayDeque<Long> free = new ArrayDeque<>();
    private final List<Long> unsignalled = new ArrayList<>();
    private boolean closed;

    EventPool(long context) {
        this.context = context;
    }

    @Override
    public synchronized long take() {
        if (closed) {
            throw new IllegalStateException("the event pool was closed");
        }
        if (free.isEmpty()) {
            reclaim();
        }
        if (free.isEmpty()) {
            grow();
        }
        return free.pop();
    }

    private void reclaim() {
        for (Iterator<Long> it = unsignalled.iterator(); it.hasNext(); ) {
            long event = it.next();
            if (ZeQueueCalls.eventQueryStatus(event) == ZeResults.SUCCESS) {
                ZeQueueCalls.eventHostReset(event);
                it.remove();
                free.push(event);
            }
        }
    }

    private void grow() {
        long pool = ZeQueueCalls.createEventPool(context, BLOCK);
        pools.add(pool);
        for (int i = 0; i < BLOCK; i++) {
            long event = ZeQueueCalls.createEvent(pool, i);
            events.add(event);
            free.add(event);
        }
    }

    @Override
    public int status(long event) {
        return ZeQueueCalls.eventQueryStatus(event);
    }

    @Override
    public int await(long event) {
        return ZeQueueCalls.eventHostSynchronize(event, ZeQueueCalls.FOREVER);
    }

    @Override
    public synchronized void recycle(long event) {
        if (closed) {
            return;
        }
        if (ZeQueueCalls.eventQueryStatus(event) == ZeResults.SUCCESS) {
            ZeQueueCalls.eventHostReset(event);
            free.push(event);
        } else {
            unsignalled.add(event);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (long event : events) {
                ZeQueueCalls.destroyEvent(event);
            }
        } finally {
            for (long pool : pools) {
                ZeQueueCalls.destroyEventPool(pool);
            }
        }
    }
}
