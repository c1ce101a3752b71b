package xsched.backend.cuda.internal;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaStreamMemOps;

/**
 * The gate of one {@link GatedStreamQueue}: its word in device memory, its mode and its batches.
 * The one owner of that state: every transition is a method here, under this object's monitor,
 * which the queue also holds while it enqueues a command (so a deactivation never cuts a batch in
 * the middle of a launch). The caller binds the context first.
 *
 * <pre>
 *            deactivate: work pending, budget left         open (reactivate, synchronize, close)
 *   RUNNING ──────────────────────────────────────▶ GATED ───────────────────────────────────▶ RUNNING
 *      │  deactivate: nothing pending, or no budget (level 1 for this stop)                       ▲
 *      └──────────────────────────────────────────▶ DRAINED ──── open ────────────────────────────┘
 *                       a launch while DRAINED closes the gate if the budget allows (→ GATED)
 * </pre>
 */
final class StreamGate {
    private static final Logger LOG = LoggerFactory.getLogger(StreamGate.class);
    private static final int PRUNE_PER_BATCH = 2;

    /** What a deactivation must wait for, outside the lock: see {@link #awaitStop(Stop)}. */
    record Stop(List<BatchGates.Batch> pending, boolean gated, long settleUntil) {
    }

    private enum Mode { RUNNING, GATED, DRAINED }

    private final String owner;
    private final long word;
    private final GateControl control;
    private final BatchGates.Events events;
    private final BatchGates batches = new BatchGates();
    private final long settleNanos;
    /** Written under this object's lock; read without it by threads polling a sync point. */
    private volatile Mode mode = Mode.RUNNING;
    private boolean shuttingDown;
    private long fallbacks;
    private long held;

    /** Allocates the word and opens it (the context is bound). */
    StreamGate(String owner, GateControl control, BatchGates.Events events, long settleNanos) {
        this.owner = owner;
        this.control = control;
        this.events = events;
        this.settleNanos = settleNanos;
        long w = CudaMemory.memAlloc(4);
        try {
            control.writeAndWait(w, 1);
        } catch (RuntimeException e) {
            CudaMemory.memFree(w);
            throw e;
        }
        this.word = w;
    }

    /** Before a launch enqueues on {@code stream}: a gate and a started event when a new batch begins. */
    synchronized void beforeLaunch(long stream, EventPool pool) {
        if (mode == Mode.DRAINED) {
            if (control.budget().tryAcquire()) {
                control.writeAndWait(word, 0);
                mode = Mode.GATED;
            } else {
                fallbacks++;
                LOG.debug("{}: a command launched while deactivated runs: {}", owner, control.budget());
            }
        }
        if (!batches.needsGate()) {
            return;
        }
        if (batches.uncut()) {
            cut(stream, pool);
        }
        batches.prune(events, PRUNE_PER_BATCH);
        CudaStreamMemOps.waitAtLeast(stream, word, 1);
        long started = pool.take();
        try {
            CudaDriver.eventRecord(started, stream);
        } catch (RuntimeException e) {
            pool.give(started);
            throw e;
        }
        batches.opened(started);
    }

    /** A sync point was just recorded on {@code stream}: the open batch ends there. */
    synchronized void pointRecorded(long stream, EventPool pool) {
        if (batches.uncut()) {
            cut(stream, pool);
        }
        batches.pointRecorded();
    }

    private void cut(long stream, EventPool pool) {
        long end = pool.take();
        try {
            CudaDriver.eventRecord(end, stream);
        } catch (RuntimeException e) {
            pool.give(end);
            throw e;
        }
        batches.cut(end);
    }

    /**
     * Stops: cuts the open batch; with work pending and budget left closes the gate and waits until
     * the close landed, else stays open (level 1 for this stop).
     *
     * @return what to wait for, null when nothing (already stopped, closing, or nothing pending)
     */
    synchronized Stop beginStop(long stream, EventPool pool) {
        if (mode != Mode.RUNNING || shuttingDown) {
            return null;
        }
        if (batches.uncut()) {
            cut(stream, pool);
        }
        batches.pointRecorded();
        batches.prune(events, Integer.MAX_VALUE);
        List<BatchGates.Batch> pending = batches.pending();
        if (pending.isEmpty()) {
            mode = Mode.DRAINED;
            return null;
        }
        boolean gated = control.budget().tryAcquire();
        if (gated) {
            control.writeAndWait(word, 0);
            mode = Mode.GATED;
        } else {
            mode = Mode.DRAINED;
            fallbacks++;
            LOG.debug("{}: deactivated at level 1 (waits for its launched work): the gate budget is spent, {}", owner,
                    control.budget());
        }
        batches.beginDrain();
        return new Stop(pending, gated, System.nanoTime() + settleNanos);
    }

    /** Outside the lock: waits for what runs (gated) or for everything launched (level 1 fallback). */
    void awaitStop(Stop stop) {
        try {
            if (stop.gated()) {
                int firstHeld = BatchGates.waitForRunning(stop.pending(), events, System::nanoTime, stop.settleUntil());
                synchronized (this) {
                    held += stop.pending().size() - firstHeld;
                }
            } else {
                events.synchronize(stop.pending().getLast().end());
            }
        } finally {
            synchronized (this) {
                batches.endDrain();
            }
        }
    }

    /**
     * Back to running; a closed gate opens.
     *
     * @param wait whether to wait until the open landed
     * @return whether the gate was closed
     */
    synchronized boolean open(boolean wait) {
        boolean wasClosed = mode == Mode.GATED;
        if (wasClosed) {
            try {
                if (wait) {
                    control.writeAndWait(word, 1);
                } else {
                    control.write(word, 1);
                }
            } finally {
                control.budget().release();
            }
        }
        mode = Mode.RUNNING;
        return wasClosed;
    }

    /** The queue is closing: no more stops; the gate opens and stays open. */
    synchronized void shutDown() {
        shuttingDown = true;
        open(true);
    }

    /** After the stream was synchronized: gives back the batches' events and frees the word. */
    synchronized void release() {
        try {
            batches.clear(events);
        } finally {
            CudaMemory.memFree(word);
        }
    }

    /** @return whether a deactivation is in effect (gate closed, or nothing was pending to hold) */
    boolean deactivated() {
        return mode != Mode.RUNNING;
    }

    synchronized boolean closed() {
        return mode == Mode.GATED;
    }

    synchronized long fallbacks() {
        return fallbacks;
    }

    synchronized long held() {
        return held;
    }
}
