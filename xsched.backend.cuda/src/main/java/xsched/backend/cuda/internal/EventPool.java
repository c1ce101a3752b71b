package xsched.backend.cuda.internal;

import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A queue's reusable events for sync points: a sync point takes one and gives it back when it is
 * closed, so a busy queue creates only as many events as it has sync points outstanding at once
 * (about threshold / batch), not one per sync point. Thread-safe: events are taken by the
 * launching thread and given back by whichever thread closes a sync point.
 */
final class EventPool implements AutoCloseable {
    private final LongSupplier create;
    private final LongConsumer destroy;
    private long[] free = new long[8];
    private int freeCount;
    private long[] all = new long[8];
    private int created;

    EventPool(LongSupplier create, LongConsumer destroy) {
        this.create = create;
        this.destroy = destroy;
    }

    synchronized long take() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        long event = create.getAsLong();
        if (created == all.length) {
            all = Arrays.copyOf(all, created * 2);
        }
        all[created++] = event;
        return event;
    }

    /**
     * Takes an event and has {@code record} record it; when recording fails the event comes back
     * to the pool and the failure goes on.
     *
     * @param record records the event on a stream (the caller has bound the context)
     * @return the recorded event
     */
    long takeRecorded(LongConsumer record) {
        long event = take();
        try {
            record.accept(event);
        } catch (RuntimeException e) {
            give(event);
            throw e;
        }
        return event;
    }

    synchronized void give(long event) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = event;
    }

    /** @return events created so far */
    synchronized int created() {
        return created;
    }

    /** @return events in the pool, not taken */
    synchronized int idle() {
        return freeCount;
    }

    /** Destroys every event this pool created, taken or not. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (int i = 0; i < created; i++) {
            try {
                destroy.accept(all[i]);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        created = 0;
        freeCount = 0;
        if (first != null) {
            throw first;
        }
    }
}
