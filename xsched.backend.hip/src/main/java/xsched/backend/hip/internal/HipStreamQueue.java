package xsched.backend.hip.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.hip.HipCommand;
import xsched.backend.hip.HipDevice;
import xsched.backend.hip.QueueAccess;
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 over one HIP stream: commands are enqueued as they are launched; a sync point is an event
 * recorded on the stream ({@link EventSyncPoint}), reached per {@code hipEventQuery} or awaited with
 * {@code hipEventSynchronize}; an error reported for it fails the commands before it ({@link
 * LaunchLedger}). Free-threaded: HIP calls are thread-safe and the stream binds its device in every
 * call. Calls share a read lock and {@link #close()} takes the write lock, so the backend may close
 * the queue from another thread without racing a call.
 *
 * <p>Each sync point creates its event and destroys it when the point is closed; events of points
 * still open when the queue closes are destroyed with it. (The CUDA backend pools its events; that
 * pool lives in the CUDA bundle, not in {@code xsched.backend.support}, so it is not shared here.)
 */
public final class HipStreamQueue implements HwQueue.FreeThreaded, EventSyncPoint.Events {
    private static final Logger LOG = LoggerFactory.getLogger(HipStreamQueue.class);

    private final HipDevice device;
    private final DeviceStream stream;
    private final LaunchLedger<HipCommand> ledger = new LaunchLedger<>(QueueAccess::fail);
    private final Set<Long> events = new HashSet<>();
    private final Lock guard;
    private final Lock closing;
    private final Consumer<HipStreamQueue> onClose;
    private volatile boolean closed;

    /**
     * @param device  the device
     * @param stream  its stream, which the queue destroys when closed
     * @param onClose told once the queue was closed (the backend forgets it)
     */
    public HipStreamQueue(HipDevice device, DeviceStream stream, Consumer<HipStreamQueue> onClose) {
        this.device = Objects.requireNonNull(device, "device");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.guard = lock.readLock();
        this.closing = lock.writeLock();
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    public void launch(HwCommand command) {
        HipCommand hip = QueueAccess.forQueueOn(command, device);
        guard.lock();
        try {
            ensureOpen();
            ledger.launched(hip);
            try {
                stream.enqueue(hip);
            } catch (RuntimeException e) {
                QueueAccess.fail(hip, e);
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
                event = stream.recordEvent();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            synchronized (events) {
                events.add(event);
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    @Override
    public boolean query(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            boolean reached;
            try {
                reached = stream.eventReached(event);
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

    /** Blocks until the event completed or failed; never gives up (level 1). */
    @Override
    public boolean await(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            try {
                stream.awaitEvent(event);
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
    public void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    /** Destroys a closed point's event, unless the queue's close already did. */
    @Override
    public void release(long event) {
        guard.lock();
        try {
            boolean ours;
            synchronized (events) {
                ours = events.remove(event);
            }
            if (ours && !closed) {
                stream.destroyEvent(event);
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

    private void finish() {
        try {
            stream.synchronize();
            ledger.retire(ledger.launched(), null);
        } catch (RuntimeException e) {
            ledger.retire(ledger.launched(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the HIP queue on " + device.id() + " was closed");
        }
    }

    /** @return commands launched and not yet seen complete */
    public int outstanding() {
        return ledger.outstanding();
    }

    /** @return events of sync points not closed yet */
    public int liveEvents() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Waits for everything launched, then destroys the events still held and the stream; idempotent. */
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
                List<Long> left;
                synchronized (events) {
                    left = List.copyOf(events);
                    events.clear();
                }
                for (long event : left) {
                    try {
                        stream.destroyEvent(event);
                    } catch (RuntimeException e) {
                        LOG.debug("destroying event 0x{} of a closed queue on {} failed", Long.toHexString(event), device.id(), e);
                    }
                }
                stream.destroy();
            }
        } finally {
            closing.unlock();
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "HipStreamQueue[" + device.id() + " " + stream + "]";
    }
}
