package xsched.backend.support;

import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * The part every queue over an in-order native stream shares (a CUDA or HIP stream, an OpenCL
 * command queue, a Level Zero list with barriers): commands are enqueued as they are launched and
 * recorded in a {@link LaunchLedger}; a sync point is a native event placed behind them ({@link
 * EventSyncPoint}); an error the driver reports for it, or for a launch, fails exactly the
 * commands it covers; {@link #close()} waits for everything launched, then frees the native
 * objects, once.
 *
 * <p>Free-threaded: calls share a read lock and {@link #close()} takes the write lock, so the
 * backend may close the queue from another thread without racing a call. A subclass supplies the
 * native steps, each throwing a {@link RuntimeException} for a failure of the work it covers. A
 * level-2 queue that holds launched work back (a CUDA stream gate) also gives up waits while it
 * holds it ({@link #awaitUnlessHeld}), lets held work go before a close ({@link #beforeClose}) and
 * runs its deactivation {@link #whileOpen}.
 *
 * @param <C> the backend's command type
 */
public abstract class EventQueue<C> implements HwQueue.FreeThreaded, EventSyncPoint.Events {
    private final String name;
    private final LaunchLedger<C> ledger;
    private final BiConsumer<? super C, ? super Throwable> fail;
    private final Lock guard;
    private final Lock closing;
    private volatile boolean closed;

    /**
     * @param name what the queue is, for the message once closed ("the HIP queue on hip:0")
     * @param fail fails one command with an error (e.g. {@code QueueAccess::fail})
     */
    protected EventQueue(String name, BiConsumer<? super C, ? super Throwable> fail) {
        this.name = Objects.requireNonNull(name, "name");
        this.fail = Objects.requireNonNull(fail, "fail");
        this.ledger = new LaunchLedger<>(fail);
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.guard = lock.readLock();
        this.closing = lock.writeLock();
    }

    /** @return the command as this queue's type, refusing a foreign or misplaced one */
    protected abstract C admit(HwCommand command);

    /** Enqueues a command on the native stream; a {@link RuntimeException} fails it alone. */
    protected abstract void enqueue(C command);

    /** @return a native event placed behind everything enqueued; nothing is left over when this throws */
    protected abstract long placeEvent();

    /** @return whether the event completed; throws when the driver reports an error for it */
    protected abstract boolean eventReached(long event);

    /** Blocks until the event completed; throws when the driver reports an error for it. */
    protected abstract void awaitEvent(long event);

    /**
     * Waits for the event, or gives up: a level-2 queue whose deactivation holds its work back
     * returns false (the point stays valid and is reached once the queue runs again). By default
     * {@link #awaitEvent} and true.
     *
     * @return true once the event completed; throws when the driver reports an error for it
     */
    protected boolean awaitUnlessHeld(long event) {
        awaitEvent(event);
        return true;
    }

    /**
     * Takes back the event of a closed point.
     *
     * @param afterClose whether the queue was closed already (and freed what it still held)
     */
    protected abstract void releaseEvent(long event, boolean afterClose);

    /** Blocks until everything enqueued completed; throws when the driver reports an error for it. */
    protected abstract void drain();

    /** Frees the native objects, after the last {@link #drain()}. Called once. */
    protected abstract void free();

    /** Told once, after the queue was closed (the backend forgets it), even when freeing failed. */
    protected abstract void closed();

    /**
     * Called by {@link #close()} before it waits for the calls under way, while the queue may still
     * be open: e.g. a level-2 queue opens its gate so that threads waiting on held work finish. By
     * default nothing.
     */
    protected void beforeClose() {
    }

    @Override
    public final void launch(HwCommand command) {
        C c = admit(command);
        guard.lock();
        try {
            ensureOpen();
            ledger.launched(c);
            try {
                enqueue(c);
            } catch (RuntimeException e) {
                fail.accept(c, e);
            }
        } finally {
            guard.unlock();
        }
    }

    @Override
    public final SyncPoint record() {
        guard.lock();
        try {
            ensureOpen();
            long through = ledger.launched();
            long event;
            try {
                event = placeEvent();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    @Override
    public final boolean query(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            boolean reached;
            try {
                reached = eventReached(event);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
                return true;
            }
            if (reached) {
                ledger.retire(through, null);
            }
            return reached;
        } finally {
            guard.unlock();
        }
    }

    /** Blocks until the event completed or failed; false when the wait was given up ({@link #awaitUnlessHeld}). */
    @Override
    public final boolean await(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            try {
                if (!awaitUnlessHeld(event)) {
                    return false;
                }
                ledger.retire(through, null);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
            }
            return true;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public final void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    @Override
    public final void release(long event) {
        guard.lock();
        try {
            releaseEvent(event, closed);
        } finally {
            guard.unlock();
        }
    }

    @Override
    public final void synchronize() {
        guard.lock();
        try {
            ensureOpen();
            finish();
        } finally {
            guard.unlock();
        }
    }

    private void finish() {
        long through = ledger.launched();
        try {
            drain();
            ledger.retire(through, null);
        } catch (RuntimeException e) {
            ledger.retire(through, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name + " was closed");
        }
    }

    /**
     * Runs {@code action} while the queue cannot be closed (under the calls' shared lock).
     *
     * @param action    what to do
     * @param mustBeOpen true: a closed queue refuses with {@link IllegalStateException}; false: a
     *                   closed queue does nothing
     */
    protected final void whileOpen(Runnable action, boolean mustBeOpen) {
        guard.lock();
        try {
            if (closed) {
                if (mustBeOpen) {
                    ensureOpen();
                }
                return;
            }
            action.run();
        } finally {
            guard.unlock();
        }
    }

    /** @return commands launched and not yet known complete */
    public final int outstanding() {
        return ledger.outstanding();
    }

    /** Waits for everything launched, then frees the native objects; idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            beforeClose();
        }
        boolean closing = false;
        this.closing.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            try {
                finish();
            } finally {
                free();
            }
        } finally {
            this.closing.unlock();
            if (closing) {
                closed();
            }
        }
    }
}
