package xsched.backend.fpga.internal;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import xsched.backend.fpga.OpenClCommand;
import xsched.backend.fpga.OpenClDevice;
import xsched.backend.fpga.QueueAccess;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.QueueCalls;
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 over one in-order OpenCL command queue: commands are enqueued as they are launched, a
 * sync point is a marker's event ({@code clEnqueueMarkerWithWaitList}, then {@code clFlush} so the
 * device starts), reached per {@code CL_EVENT_COMMAND_EXECUTION_STATUS} or {@code clWaitForEvents}.
 * Free-threaded: OpenCL calls are thread-safe since 1.1 except {@code clSetKernelArg} on a shared
 * kernel, which {@code NDRangeLaunch} guards. Calls share a read lock and {@link #close()} takes
 * the write lock, so the backend may close the queue from another thread without racing a call.
 */
public final class OpenClQueue implements HwQueue.FreeThreaded, EventSyncPoint.Events {
    private final OpenClDevice device;
    private final long queue;
    private final LaunchLedger<OpenClCommand> ledger = new LaunchLedger<>(QueueAccess::fail);
    private final Lock guard;
    private final Lock closing;
    private final Consumer<OpenClQueue> onClose;
    private volatile boolean closed;

    /**
     * Creates the command queue.
     *
     * @param device  the device
     * @param onClose told once the queue was closed (the backend forgets it)
     */
    public OpenClQueue(OpenClDevice device, Consumer<OpenClQueue> onClose) {
        this.device = device;
        this.onClose = onClose;
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.guard = lock.readLock();
        this.closing = lock.writeLock();
        this.queue = OpenCl.createQueue(QueueAccess.context(device), QueueAccess.handle(device));
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, device);
    }

    @Override
    public void launch(HwCommand command) {
        OpenClCommand cl = QueueAccess.forQueueOn(command, device);
        guard.lock();
        try {
            ensureOpen();
            ledger.launched(cl);
            try {
                QueueAccess.enqueue(cl, queue);
            } catch (RuntimeException e) {
                QueueAccess.fail(cl, e);
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
                event = QueueCalls.marker(queue);
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            try {
                OpenCl.flush(queue);
            } catch (RuntimeException e) {
                OpenCl.releaseEvent(event);
                return EventSyncPoint.failed(this, through, e);
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
            int status;
            try {
                status = QueueCalls.status(event);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
                return true;
            }
            if (status > OpenCl.CL_COMPLETE) {
                return false;
            }
            ledger.retire(through, status == OpenCl.CL_COMPLETE ? null
                    : OpenCl.error(status, "a command before the marker", "CL_EVENT_COMMAND_EXECUTION_STATUS is an error"));
            return true;
        } finally {
            guard.unlock();
        }
    }

    /** Blocks until the marker's event completed or failed; never gives up (level 1). */
    @Override
    public boolean await(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            int rc = QueueCalls.waitFor(event);
            if (rc == OpenCl.CL_SUCCESS) {
                ledger.retire(through, null);
            } else {
                int status = safeStatus(event);
                ledger.retire(through, OpenCl.error(rc, "clWaitForEvents", status < 0
                        ? "the marker's status is " + OpenCl.errorName(status) : null));
            }
            return true;
        } finally {
            guard.unlock();
        }
    }

    private static int safeStatus(long event) {
        try {
            return QueueCalls.status(event);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    /** Releases a closed point's event. */
    @Override
    public void release(long event) {
        OpenCl.releaseEvent(event);
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
            OpenCl.finish(queue);
            ledger.retire(ledger.launched(), null);
        } catch (RuntimeException e) {
            ledger.retire(ledger.launched(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL queue on " + device.id() + " was closed");
        }
    }

    /** Waits for everything enqueued, then releases the command queue; idempotent. */
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
                OpenCl.releaseQueue(queue);
            }
        } finally {
            closing.unlock();
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "OpenClQueue[" + device.id() + " 0x" + Long.toHexString(queue) + "]";
    }
}
