package xsched.backend.cuda.embed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The events of a {@link PerThreadStreamQueue}: the owner thread records one right behind each of
 * its launches (the <em>latest</em>), and every sync point taken meanwhile shares it, since it
 * covers everything launched so far. An event is reused once neither the queue (as its latest) nor
 * a sync point holds it any more. Thread-safe: the owner records, any thread takes and gives back.
 */
final class TrailingEvents {
    private final LongSupplier create;
    private final LongConsumer destroy;
    private final Map<Long, Integer> holds = new HashMap<>();
    private final ArrayDeque<Long> free = new ArrayDeque<>();
    private final List<Long> all = new ArrayList<>();
    private long latest;
    private RuntimeException latestFailed;
    private boolean closed;

    /**
     * @param create  creates an event (the right context bound by the caller)
     * @param destroy destroys one
     * @param initial an event never recorded, hence complete: the latest until the first launch
     */
    TrailingEvents(LongSupplier create, LongConsumer destroy, long initial) {
        this.create = create;
        this.destroy = destroy;
        this.all.add(initial);
        this.latest = initial;
        this.holds.put(initial, 1);
    }

    /**
     * On the owner thread, right after a launch: records a new latest event behind it.
     *
     * @param record records an event on the owner's stream
     */
    void recordBehindLaunch(LongConsumer record) {
        long event = take();
        try {
            record.accept(event);
        } catch (RuntimeException e) {
            synchronized (this) {
                free.push(event);
                // nothing covers that launch: sync points fail until a later record succeeds
                latestFailed = e;
            }
            throw e;
        }
        synchronized (this) {
            long previous = latest;
            latest = event;
            latestFailed = null;
            holds.put(event, 1);
            give(previous);
        }
    }

    /**
     * @return the latest event, held for the caller until {@link #give(long)}
     * @throws RuntimeException why the latest launch has no event behind it
     */
    synchronized long takeLatest() {
        if (latestFailed != null) {
            throw latestFailed;
        }
        holds.merge(latest, 1, Integer::sum);
        return latest;
    }

    /** Gives back an event taken with {@link #takeLatest()}; nothing after {@link #close()}. */
    synchronized void give(long event) {
        if (closed) {
            return;
        }
        int left = holds.merge(event, -1, Integer::sum);
        if (left <= 0) {
            holds.remove(event);
            free.push(event);
        }
    }

    /** @return events created so far */
    synchronized int created() {
        return all.size();
    }

    /** Destroys every event, held or not (the queue is drained and closed). */
    synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (long event : all) {
            try {
                destroy.accept(event);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        all.clear();
        free.clear();
        holds.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private long take() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the per-thread stream's queue was closed");
            }
            if (!free.isEmpty()) {
                return free.pop();
            }
        }
        long event = create.getAsLong();
        synchronized (this) {
            all.add(event);
        }
        return event;
    }
}
