package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.KernelArgs;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 over one CUDA stream: commands are enqueued on a non-blocking stream, sync points are
 * pooled events. Free-threaded: the core launches from whichever thread holds the queue's launch
 * token (the submitting thread or the launch worker) and waits on sync points from any thread, so
 * every call binds the primary context first. Calls share a read lock and {@link #close()} takes
 * the write lock, so {@link CudaPlatform#close()} and {@link CudaPlatform#retire()} may close the
 * queue from another thread without racing a call, while a thread blocked on an event never holds
 * up a launch. It runs commands built with any {@link CudaGpu} object of its device and primary
 * context, e.g. those of a retired platform after a backend swap.
 */
public final class StreamQueue implements HwQueue.FreeThreaded, EventPointQueue {
    private final CudaGpu gpu;
    private final long stream;
    private final EventPool events;
    private final LaunchScratch scratch = new LaunchScratch();
    private final Function<KernelArgs, MemorySegment> params = scratch::params;
    private final LaunchLedger ledger = new LaunchLedger();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock guard = lock.readLock();
    private final Lock closing = lock.writeLock();
    private volatile boolean closed;

    private StreamQueue(CudaGpu gpu, int priority) {
        this.gpu = gpu;
        this.stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
        int eventFlags = QueueAccess.eventFlags(gpu);
        this.events = new EventPool(() -> CudaDriver.eventCreate(eventFlags), CudaDriver::eventDestroy);
    }

    /**
     * Opens a queue over a new non-blocking stream; the GPU closes it when it is retired or closed.
     *
     * @param gpu      the GPU
     * @param priority stream priority; lower numbers are more urgent (see the driver's range)
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed
     */
    public static StreamQueue open(CudaGpu gpu, int priority) {
        QueueAccess.openingQueue(gpu);
        return QueueAccess.track(gpu, new StreamQueue(gpu, priority));
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, gpu);
    }

    @Override
    public void launch(HwCommand command) {
        CudaCommand cuda = QueueAccess.forQueueOn(command, gpu);
        guard.lock();
        try {
            ensureOpen();
            QueueAccess.bind(gpu);
            ledger.launched(cuda);
            try {
                QueueAccess.enqueue(cuda, stream, params);
            } catch (RuntimeException e) {
                QueueAccess.fail(cuda, e);
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
                QueueAccess.bind(gpu);
                event = events.take();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            try {
                CudaDriver.eventRecord(event, stream);
            } catch (RuntimeException e) {
                events.give(event);
                return EventSyncPoint.failed(this, through, e);
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    @Override
    public boolean query(EventSyncPoint point) {
        guard.lock();
        try {
            ensureOpen();
            boolean reached;
            try {
                QueueAccess.bind(gpu);
                reached = CudaDriver.eventQuery(point.event());
            } catch (RuntimeException e) {
                ledger.retire(point.through(), e);
                return true;
            }
            if (reached) {
                ledger.retire(point.through(), null);
            }
            return reached;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public boolean await(EventSyncPoint point) {
        guard.lock();
        try {
            ensureOpen();
            try {
                QueueAccess.bind(gpu);
                CudaDriver.eventSynchronize(point.event());
                ledger.retire(point.through(), null);
            } catch (RuntimeException e) {
                ledger.retire(point.through(), e);
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

    @Override
    public void release(EventSyncPoint point) {
        guard.lock();
        try {
            if (!closed) {
                events.give(point.event());
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
            try {
                QueueAccess.bind(gpu);
                CudaDriver.streamSynchronize(stream);
                ledger.retire(ledger.launched(), null);
            } catch (RuntimeException e) {
                ledger.retire(ledger.launched(), e);
            }
        } finally {
            guard.unlock();
        }
    }

    /** @return events this queue created for sync points */
    public int eventsCreated() {
        guard.lock();
        try {
            return events.created();
        } finally {
            guard.unlock();
        }
    }

    /** @return the {@code CUstream}, for tests */
    public long stream() {
        return stream;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA queue on " + gpu.id() + " was closed");
        }
    }

    @Override
    public void close() {
        closing.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                QueueAccess.bind(gpu);
                CudaDriver.streamSynchronize(stream);
            } catch (RuntimeException e) {
                ledger.retire(ledger.launched(), e);
            } finally {
                try {
                    events.close();
                } finally {
                    try {
                        CudaDriver.streamDestroy(stream);
                    } finally {
                        scratch.close();
                        QueueAccess.untrack(gpu, this);
                    }
                }
            }
        } finally {
            closing.unlock();
        }
    }

    @Override
    public String toString() {
        return "StreamQueue[" + gpu.id() + " 0x" + Long.toHexString(stream) + "]";
    }
}
