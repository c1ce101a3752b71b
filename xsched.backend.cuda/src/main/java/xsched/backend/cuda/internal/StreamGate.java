package xsched.backend.cuda.internal;

import java.util.ArrayList;
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
 *      │  deactivate: nothing pending, or no budget (level 1 for this stop)   │ open, a        ▲  ▲
 *      └──────────────────────────────────────────▶ DRAINED ──── open ────────┼────────────────┘  │
 *                       a launch while DRAINED closes the gate if the budget   ▼ relaunch due     │ the relaunch
 *                       allows (→ GATED)                               RELAUNCHING ───────────────┘ completed (settle)
 *                                                      deactivate: back to GATED ◀──┘
 * </pre>
 *
 * <p><b>Guarded kernels.</b> Once the queue has launched a guarded kernel ({@link
 * #guardedLaunched}), each one ends its batch, and a stop that closes the gate also sets the queue's
 * stop flag, so the guarded kernel that runs stops between blocks instead of running to its end.
 * Only the last batch that passed its gate can have been cut short that way (the flag lands after
 * the close, and a later gate is evaluated only after the batch before it ended), plus, since the
 * host cannot tell "not yet" from "never" for a gate evaluated just before the close, the first
 * batch judged held. Their guarded launches are relaunched on reopening, over their control
 * blocks, on a stream of their own ({@link Relauncher}), before the gate opens: the gate stays
 * closed until the relaunch completed ({@link #settle()}). A relaunch of a launch that had
 * finished, or never started (its control block is sealed, {@link LaunchGuard}), runs nothing.
 */
final class StreamGate {
    private static final Logger LOG = LoggerFactory.getLogger(StreamGate.class);
    private static final int PRUNE_PER_BATCH = 2;

    /**
     * What a deactivation must wait for, outside the lock: see {@link #awaitStop(Stop)}.
     *
     * @param pending     the cut batches not known complete, oldest first
     * @param gated       whether the gate was closed (else level 1 for this stop)
     * @param settleUntil see {@link BatchGates#waitForRunning}
     * @param flagged     whether the stop flag was set, so guarded kernels may have been cut short
     * @param relaunch    a relaunch under way when the stop came (its event), to wait for; 0 if none
     */
    record Stop(List<BatchGates.Batch> pending, boolean gated, long settleUntil, boolean flagged, long relaunch) {
    }

    /** Launches guarded kernels again; the queue implements it with its own stream for relaunches. */
    interface Relauncher {
        /**
         * Enqueues the relaunches, in order, on a stream of their own (the context is bound).
         *
         * @param tails the guarded launches to run again over their control blocks
         * @return an event recorded behind them
         */
        long relaunch(List<GuardedTail> tails);
    }

    private enum Mode { RUNNING, GATED, DRAINED, RELAUNCHING }

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
    private final Relauncher relauncher;
    /** The queue's stop flag once it has launched a guarded kernel; 0 before. */
    private long flag;
    /** Whether a stop set the flag and no reopening has cleared it yet. */
    private boolean flagRaised;
    /** Guarded launches a stop may have cut short, to relaunch before the gate opens; oldest first. */
    private final List<GuardedTail> relaunch = new ArrayList<>();
    /** While RELAUNCHING: the event behind the relaunches. */
    private long relaunchEvent;
    private long relaunches;

    /** Allocates the word and opens it (the context is bound). */
    StreamGate(String owner, GateControl control, BatchGates.Events events, long settleNanos, Relauncher relauncher) {
        this.owner = owner;
        this.control = control;
        this.events = events;
        this.settleNanos = settleNanos;
        this.relauncher = relauncher;
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
        batches.opened(pool.takeRecorded(event -> CudaDriver.eventRecord(event, stream)));
    }

    /**
     * A guarded kernel was just launched on {@code stream} (after {@link #beforeLaunch}): it ends
     * its batch, and from now on stops set the queue's stop flag.
     *
     * @param tail     the launch and its control block
     * @param stopFlag the queue's stop flag
     */
    synchronized void guardedLaunched(long stream, EventPool pool, GuardedTail tail, long stopFlag) {
        flag = stopFlag;
        cut(stream, pool, tail);
    }

    /** @return whether sync points need a batch (a gate) of their own: the queue launches guarded kernels */
    synchronized boolean gatesPoints() {
        return flag != 0;
    }

    /**
     * A sync point was just recorded on {@code stream}: the open batch ends there.
     *
     * @param point the point's event
     */
    synchronized void pointRecorded(long stream, EventPool pool, long point) {
        if (batches.uncut()) {
            cut(stream, pool);
        }
        batches.pointRecorded(point);
    }

    /**
     * A waiter saw a sync point's event complete: the batches before it leave without a query, so
     * the next launch finds nothing to prune (a query costs ~5 us on the H200, on the launch path).
     *
     * @param point the point's event, still held by the waiter
     */
    synchronized void pointReached(long point) {
        batches.pointReached(point, events);
    }

    private void cut(long stream, EventPool pool) {
        cut(stream, pool, null);
    }

    /** Records the open batch's end event on {@code stream} and cuts it there, with its guarded tail or null. */
    private void cut(long stream, EventPool pool, GuardedTail tail) {
        batches.cut(pool.takeRecorded(event -> CudaDriver.eventRecord(event, stream)), tail);
    }

    /**
     * Stops: cuts the open batch; with work pending and budget left closes the gate and waits until
     * the close landed, else stays open (level 1 for this stop).
     *
     * @param flagValue what the stop flag is set to once the queue launches guarded kernels: {@link
     *                  xsched.backend.cuda.internal.ptx.ControlBlockLayout#STOP_BETWEEN_BLOCKS} (level 2)
     *                  or {@code STOP_INSIDE_BLOCKS} (level 3)
     *
     * @return what to wait for, null when nothing (already stopped, closing, or nothing pending)
     */
    synchronized Stop beginStop(long stream, EventPool pool, int flagValue) {
        if (mode == Mode.RELAUNCHING && !shuttingDown) {
            // the gate is still closed: stop the relaunch too, and relaunch the same launches next time
            control.writeAndWait(flag, flagValue);
            flagRaised = true;
            mode = Mode.GATED;
            return new Stop(List.of(), true, 0, false, relaunchEvent);
        }
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
        boolean flagged = gated && flag != 0;
        if (flagged) {
            control.write(word, 0);
            control.writeAndWait(flag, flagValue); // in order on the control stream: the flag lands after the close
            flagRaised = true;
            mode = Mode.GATED;
        } else if (gated) {
            control.writeAndWait(word, 0);
            mode = Mode.GATED;
        } else {
            mode = Mode.DRAINED;
            fallbacks++;
            LOG.debug("{}: deactivated at level 1 (waits for its launched work): the gate budget is spent, {}", owner,
                    control.budget());
        }
        batches.beginDrain();
        return new Stop(pending, gated, System.nanoTime() + settleNanos, flagged, 0);
    }

    /** Outside the lock: waits for what runs (gated) or for everything launched (level 1 fallback). */
    void awaitStop(Stop stop) {
        if (stop.relaunch() != 0) {
            events.synchronize(stop.relaunch());
            return;
        }
        try {
            if (stop.gated()) {
                List<BatchGates.Batch> pending = stop.pending();
                int firstHeld = BatchGates.waitForRunning(pending, events, System::nanoTime, stop.settleUntil());
                synchronized (this) {
                    held += pending.size() - firstHeld;
                    if (stop.flagged()) {
                        dueForRelaunch(firstHeld > 0 ? pending.get(firstHeld - 1) : null);
                        dueForRelaunch(firstHeld < pending.size() ? pending.get(firstHeld) : null);
                    }
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

    private void dueForRelaunch(BatchGates.Batch batch) {
        if (batch != null && batch.tail() != null && !relaunch.contains(batch.tail())) {
            relaunch.add(batch.tail());
        }
    }

    /**
     * While RELAUNCHING: once the relaunch completed, opens the gate. Cheap when there is nothing to
     * settle; called by threads polling the queue's sync points, which lie behind the gate.
     */
    void settle() {
        if (mode != Mode.RELAUNCHING) {
            return;
        }
        synchronized (this) {
            if (mode == Mode.RELAUNCHING && events.query(relaunchEvent)) {
                finishRelaunch(false);
            }
        }
    }

    private void finishRelaunch(boolean wait) {
        events.give(relaunchEvent);
        relaunchEvent = 0;
        relaunch.clear();
        openGate(wait);
    }

    /** Writes the gate word open (waiting until it landed or not) and gives the budget back; RUNNING. */
    private void openGate(boolean wait) {
        try {
            if (wait) {
                control.writeAndWait(word, 1);
            } else {
                control.write(word, 1);
            }
        } finally {
            control.budget().release();
            mode = Mode.RUNNING;
        }
    }

    /**
     * Back to running; a closed gate opens.
     *
     * @param wait whether to wait until the open landed
     * @return whether the gate was closed
     */
    synchronized boolean open(boolean wait) {
        if (mode == Mode.GATED && flagRaised) {
            // The flag is cleared before anything held or relaunched can start, whether or not a stop
            // cut a guarded kernel short: a flag left set would make every later guarded kernel leave
            // without running a block. (Launches are due for relaunch only after a flagged stop.)
            flagRaised = false;
            if (relaunch.isEmpty()) {
                control.write(flag, 0); // on the control stream, so it lands before the gate opens
            } else {
                control.writeAndWait(flag, 0); // the relaunch stream must see it
                if (relaunchEvent != 0) { // that of a relaunch a stop cut short: it was waited for
                    events.give(relaunchEvent);
                    relaunchEvent = 0;
                }
                relaunchEvent = relauncher.relaunch(List.copyOf(relaunch));
                relaunches += relaunch.size();
                mode = Mode.RELAUNCHING;
            }
        }
        if (mode == Mode.RELAUNCHING) {
            if (wait) {
                events.synchronize(relaunchEvent);
                finishRelaunch(true);
            }
            return true;
        }
        boolean wasClosed = mode == Mode.GATED;
        if (wasClosed) {
            openGate(wait);
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
            if (relaunchEvent != 0) {
                events.give(relaunchEvent);
                relaunchEvent = 0;
            }
            batches.clear(events);
        } finally {
            CudaMemory.memFree(word);
        }
    }

    /** @return whether a deactivation is in effect (gate closed, or nothing was pending to hold) */
    boolean deactivated() {
        Mode m = mode;
        return m == Mode.GATED || m == Mode.DRAINED;
    }

    synchronized boolean closed() {
        return mode == Mode.GATED || mode == Mode.RELAUNCHING;
    }

    /** @return guarded launches relaunched after stops, so far */
    synchronized long relaunches() {
        return relaunches;
    }

    synchronized long fallbacks() {
        return fallbacks;
    }

    synchronized long held() {
        return held;
    }
}
