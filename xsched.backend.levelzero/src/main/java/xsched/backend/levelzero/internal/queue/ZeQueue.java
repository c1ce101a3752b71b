package xsched.backend.levelzero.internal.queue;

import java.util.Locale;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.levelzero.QueueAccess;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeException;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeResults;
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 over one Level Zero command list ({@link Submission}): commands are appended as they are
 * launched, with a barrier between consecutive commands — Level Zero API 1.4 has no in-order list,
 * and without a barrier commands of one list may overlap — so the queue runs them one after another
 * like a stream. A sync point is an event signalled by a barrier behind everything launched ({@link
 * EventSyncPoint} over {@link LaunchLedger}), reached per {@code zeEventQueryStatus} or {@code
 * zeEventHostSynchronize}; an error status fails the commands before it.
 *
 * <p>Free-threaded: the core makes launches and records one at a time; queries, waits and points
 * given back may come from other threads (Level Zero's event calls are thread-safe, and {@link
 * EventSource} is). Calls share a read lock and {@link #close()} takes the write lock, so the
 * backend may close the queue from another thread without racing a call. The NPU backend embeds
 * this class too.
 */
public final class ZeQueue implements HwQueue.FreeThreaded, EventSyncPoint.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ZeQueue.class);

    /** System property: {@code immediate}, {@code lists} or {@code auto} (the default: immediate where the driver has it). */
    public static final String SUBMISSION_PROPERTY = "xsched.levelzero.submission";

    private final ZeDevice device;
    private final Submission submission;
    private final EventSource events;
    private final LaunchLedger<ZeCommand> ledger = new LaunchLedger<>(QueueAccess::fail);
    private final Object appending = new Object();
    private final Lock guard;
    private final Lock closing;
    private final Consumer<ZeQueue> onClose;
    private boolean barrierDue;
    private volatile boolean closed;

    /**
     * @param device     the device
     * @param submission its command list, which the queue now owns
     * @param events     its sync-point events, which the queue now owns
     * @param onClose    told once the queue was closed (the backend forgets it)
     */
    public ZeQueue(ZeDevice device, Submission submission, EventSource events, Consumer<ZeQueue> onClose) {
        this.device = device;
        this.submission = submission;
        this.events = events;
        this.onClose = onClose;
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.guard = lock.readLock();
        this.closing = lock.writeLock();
    }

    /**
     * Opens a queue on a device: an immediate list where the driver has them (and {@value
     * #SUBMISSION_PROPERTY} does not say {@code lists}), else a command queue fed with lists.
     *
     * @param device  the device; its context stays alive until the queue is closed
     * @param onClose told once the queue was closed
     * @return the queue
     */
    public static ZeQueue open(ZeDevice device, Consumer<ZeQueue> onClose) {
        QueueAccess.acquire(device);
        Submission submission = null;
        try {
            submission = submission(device);
            ZeQueue queue = new ZeQueue(device, submission, new EventPool(QueueAccess.context(device)), q -> {
                QueueAccess.release(device);
                onClose.accept(q);
            });
            LOG.debug("opened a {} queue on {}", submission.mode(), device.id());
            return queue;
        } catch (RuntimeException | Error e) {
            if (submission != null) {
                submission.close();
            }
            QueueAccess.release(device);
            throw e;
        }
    }

    private static Submission submission(ZeDevice device) {
        String mode = System.getProperty(SUBMISSION_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "lists" -> {
                return new ListSubmission(device);
            }
            case "immediate" -> {
                return new ImmediateSubmission(device);
            }
            case "auto" -> {
                try {
                    return new ImmediateSubmission(device);
                } catch (ZeException e) {
                    if (e.result() != ZeResults.ERROR_UNSUPPORTED_FEATURE) {
                        throw e;
                    }
                    return new ListSubmission(device);
                }
            }
            default -> throw new IllegalArgumentException(SUBMISSION_PROPERTY + " must be immediate, lists or auto, not '" + mode + "'");
        }
    }

    /** @return how this queue hands work to the device */
    public String mode() {
        return submission.mode();
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    public void launch(HwCommand command) {
        ZeCommand zc = QueueAccess.forQueueOn(command, device);
        guard.lock();
        try {
            ensureOpen();
            ledger.launched(zc);
            synchronized (appending) {
                try {
                    if (barrierDue) {
                        submission.barrier(0);
                        barrierDue = false;
                    }
                    submission.append(zc);
                    barrierDue = true;
                } catch (RuntimeException e) {
                    QueueAccess.fail(zc, e);
                }
            }
        } finally {
            guard.unlock();
        }
    }

    @Override
    public SyncPoint record() {
        guard.lock();
        try {
            ensureOpen();
            long through = ledger.launched();
            long event;
            try {
                event = events.take();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            try {
                signalBehindAll(event);
            } catch (RuntimeException e) {
                events.recycle(event);
                return EventSyncPoint.failed(this, through, e);
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    private void signalBehindAll(long event) {
        synchronized (appending) {
            submission.barrier(event);
            barrierDue = false;
            submission.flush();
        }
    }

    @Override
    public boolean query(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            int rc;
            try {
                rc = events.status(event);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
                return true;
            }
            if (rc == ZeResults.NOT_READY) {
                return false;
            }
            ledger.retire(through, rc == ZeResults.SUCCESS ? null
                    : LevelZero.error(rc, "zeEventQueryStatus", "a command before the sync point failed"));
            return true;
        } finally {
            guard.unlock();
        }
    }

    /** Blocks until the point's event is signalled or reports an error; never gives up (level 1). */
    @Override
    public boolean await(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            int rc;
            try {
                rc = events.await(event);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
                return true;
            }
            ledger.retire(through, rc == ZeResults.SUCCESS ? null
                    : LevelZero.error(rc, "zeEventHostSynchronize", "a command before the sync point failed"));
            return true;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    /** Gives a closed point's event back for reuse; after {@link #close()} the events are gone already. */
    @Override
    public void release(long event) {
        guard.lock();
        try {
            if (!closed) {
                events.recycle(event);
            }
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void synchronize() {
        guard.lock();
        try {
            ensureOpen();
            finish();
        } finally {
            guard.unlock();
        }
    }

    /** Signals an event behind everything launched and waits for it; every launched command retires. */
    private void finish() {
        long through = ledger.launched();
        try {
            long event = events.take();
            try {
                signalBehindAll(event);
                int rc = events.await(event);
                ledger.retire(through, rc == ZeResults.SUCCESS ? null
                        : LevelZero.error(rc, "zeEventHostSynchronize", "a command of the queue failed"));
            } finally {
                events.recycle(event);
            }
        } catch (RuntimeException e) {
            ledger.retire(through, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the Level Zero queue on " + device.id() + " was closed");
        }
    }

    /** Waits for everything launched, then releases the list, the events and the device; idempotent. */
    @Override
    public void close() {
        closing.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                finish();
            } finally {
                try {
                    submission.close();
                } finally {
                    events.close();
                }
            }
        } finally {
            closing.unlock();
        }
        onClose.accept(this);
    }

    /** @return commands launched and not yet known complete (for tests and listings) */
    public int outstanding() {
        return ledger.outstanding();
    }

    @Override
    public String toString() {
        return "ZeQueue[" + device.id() + ", " + submission.mode() + "]";
    }
}
