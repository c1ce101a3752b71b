package xsched.backend.cuda.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The batches of a gated queue ({@link GatedStreamQueue}) that are not known complete, oldest
 * first. A batch is the run of commands launched between two sync points; on the stream it reads
 * {@code gate wait · started event · commands · end event}. The started event completes once the
 * batch has passed its gate, the end event once its commands have completed. The queue calls every
 * method but {@link #waitForRunning} under its own lock; events come from and go back to the
 * queue's pool through {@link Events}, so this class never calls the driver itself and its logic
 * runs in tests against fake events.
 */
final class BatchGates {
    /** The driver calls on events this class needs; the queue binds its context first. */
    interface Events {
        /** @param event an event @return whether it completed */
        boolean query(long event);

        /** @param event an event to wait for */
        void synchronize(long event);

        /** @param event an event no longer needed */
        void give(long event);
    }

    /**
     * A batch's events, and the guarded kernel launch it ends with, if any.
     *
     * @param started its started event
     * @param end     its end event
     * @param tail    the guarded launch that ends it (a stop with the flag set may cut it short), or null
     */
    record Batch(long started, long end, GuardedTail tail) {
        Batch(long started, long end) {
            this(started, end, null);
        }
    }

    /** Sync points remembered with the batches cut before them: the newest few, enough for the points in flight. */
    private static final int POINTS = 64;

    private final ArrayDeque<Batch> open = new ArrayDeque<>();
    /** Batches cut so far; the newest open batch is number {@code cuts}, the oldest {@code cuts - open.size() + 1}. */
    private long cuts;
    private final long[] pointEvents = new long[POINTS];
    private final long[] pointCuts = new long[POINTS];
    private int points;
    private long uncutStarted;
    private boolean needGate = true;
    private int draining;

    /** @return whether the next launch must open a new batch (put a gate in front of it) */
    boolean needsGate() {
        return needGate;
    }

    /**
     * A new batch: its gate and started event were just enqueued. The previous batch must be cut.
     *
     * @param started its started event
     */
    void opened(long started) {
        if (uncutStarted != 0) {
            throw new IllegalStateException("the previous batch was not cut");
        }
        uncutStarted = started;
        needGate = false;
    }

    /** @return whether a batch is open that has no end event yet */
    boolean uncut() {
        return uncutStarted != 0;
    }

    /**
     * The open batch ends here: its end event was just recorded behind its last command. The next
     * launch opens a new batch.
     *
     * @param end the end event
     */
    void cut(long end) {
        cut(end, null);
    }

    /**
     * The open batch ends here, with a guarded launch: the next launch or sync point opens a new
     * batch behind a gate of its own.
     *
     * @param end  the end event
     * @param tail the guarded launch it ends with, or null
     */
    void cut(long end, GuardedTail tail) {
        if (uncutStarted == 0) {
            throw new IllegalStateException("no batch to cut");
        }
        open.add(new Batch(uncutStarted, end, tail));
        cuts++;
        uncutStarted = 0;
        needGate = true;
    }

    /** A sync point was recorded: whatever is launched next needs a gate of its own. */
    void pointRecorded() {
        needGate = true;
    }

    /**
     * A sync point was recorded with {@code event}, behind every batch cut so far: once the event is
     * seen complete ({@link #pointReached}), those batches' commands have completed.
     *
     * @param event the point's event
     */
    void pointRecorded(long event) {
        pointRecorded();
        int i = points++ % POINTS;
        pointEvents[i] = event;
        pointCuts[i] = cuts;
    }

    /**
     * A thread waiting for a sync point saw its event complete: the batches cut before the point
     * was recorded are complete (their end events, recorded right behind it, complete a moment
     * later) and leave without a driver query; none while a deactivation waits on a snapshot.
     *
     * @param event  the point's event, still held by its waiter (so not yet recorded for a newer point)
     * @param events the driver
     * @return how many batches left
     */
    int pointReached(long event, Events events) {
        if (draining != 0 || open.isEmpty()) {
            return 0;
        }
        for (int n = 0, i = points - 1; n < POINTS && i >= 0; n++, i--) {
            int slot = i % POINTS;
            if (pointEvents[slot] == event) {
                long through = pointCuts[slot];
                int dropped = 0;
                while (!open.isEmpty() && cuts - open.size() + 1 <= through) {
                    give(open.poll(), events);
                    dropped++;
                }
                return dropped;
            }
        }
        return 0;
    }

    private static void give(Batch done, Events events) {
        events.give(done.started());
        events.give(done.end());
    }

    /**
     * Drops the oldest batches known complete and gives their events back; none while a
     * deactivation waits on a snapshot (it may still query their events).
     *
     * @param events the driver
     * @param max    at most this many
     * @return how many were dropped
     */
    int prune(Events events, int max) {
        int dropped = 0;
        while (draining == 0 && dropped < max && !open.isEmpty() && events.query(open.peek().end())) {
            give(open.poll(), events);
            dropped++;
        }
        return dropped;
    }

    /** @return the cut batches not known complete, oldest first */
    List<Batch> pending() {
        return new ArrayList<>(open);
    }

    /** A deactivation starts waiting on a snapshot: nothing is pruned until {@link #endDrain()}. */
    void beginDrain() {
        draining++;
    }

    /** The deactivation's wait ended. */
    void endDrain() {
        draining--;
    }

    /** Gives back every event still held (the queue is closing; its stream is synchronized). */
    void clear(Events events) {
        for (Batch b : open) {
            give(b, events);
        }
        open.clear();
        if (uncutStarted != 0) {
            events.give(uncutStarted);
            uncutStarted = 0;
        }
        needGate = true;
    }

    /**
     * After the gate was closed and the close has landed (the control stream synchronized): waits
     * for the batches that passed their gate, in order, and stops at the first one held behind it.
     *
     * <p>The race: a gate evaluated just before the close landed passed, but its started event may
     * not have completed yet when the host looks. A batch's gate is evaluated only after the batch
     * before it ended, so each batch is judged after waiting for its predecessor's end: if its
     * started event has completed, it runs (wait for its end); if not, its gate was evaluated
     * either after the close landed (it is held, and so is everything behind it) or before (it
     * passed, and the started event right behind the gate completes within microseconds). The host
     * cannot tell these apart at once, so it looks again until {@code settleUntil}, a margin after
     * the close landed; a started event seen by then means running. Only a GPU that takes longer
     * than the margin from passing a gate to completing the event right behind it would make this
     * return while that batch still runs; nothing runs twice either way, as nothing is relaunched.
     *
     * @param batches     the snapshot, oldest first, each cut
     * @param events      the driver
     * @param clock       nanoseconds, {@link System#nanoTime()}
     * @param settleUntil when on {@code clock} a gate that passed before the close surely shows
     * @return the index of the first held batch, {@code batches.size()} when all ran
     */
    static int waitForRunning(List<Batch> batches, Events events, LongSupplier clock, long settleUntil) {
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            if (!events.query(b.started()) && !startsBy(b.started(), events, clock, settleUntil)) {
                return i;
            }
            events.synchronize(b.end());
        }
        return batches.size();
    }

    private static boolean startsBy(long started, Events events, LongSupplier clock, long settleUntil) {
        while (clock.getAsLong() - settleUntil < 0) {
            if (events.query(started)) {
                return true;
            }
            Thread.onSpinWait();
        }
        return events.query(started);
    }

    /** @return batches not known complete (cut), for tests and descriptions */
    int size() {
        return open.size();
    }
}
