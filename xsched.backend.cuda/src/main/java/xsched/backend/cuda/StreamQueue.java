package xsched.backend.cuda;

import java.util.concurrent.locks.ReentrantLock;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 over one CUDA stream: commands are enqueued on a non-blocking stream, sync points are
 * pooled events. The core calls every method but {@link #accept(HwCommand)} from the queue's
 * launch worker, and each binds the primary context first, since code run between calls (a
 * command's {@code beforeLaunch}) may have changed the thread's current context. A guard lock
 * lets {@link CudaPlatform#close()} and {@link CudaPlatform#retire()} close the queue from another
 * thread without racing a call. It runs commands built with any {@link CudaGpu} object of its
 * device and primary context, e.g. those of a retired platform after a backend swap.
 */
final class StreamQueue implements HwQueue {
    private final CudaGpu gpu;
    private final long stream;
    private final EventPool events;
    private final LaunchScratch scratch = new LaunchScratch();
    private final LaunchLedger ledger = new LaunchLedger();
    private final ReentrantLock guard = new ReentrantLock();
    private boolean closed;

    StreamQueue(CudaGpu gpu, int priority) {
        this.gpu = gpu;
        this.stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
        int eventFlags = gpu.eventFlags();
        this.events = new EventPool(() -> CudaDriver.eventCreate(eventFlags), CudaDriver::eventDestroy);
    }

    @Override
    public void accept(HwCommand command) {
        CudaCommand.admit(command, gpu);
    }

    @Override
    public void launch(HwCommand command) {
        CudaCommand cuda = CudaCommand.forQueueOn(command, gpu);
        guard.lock();
        try {
            ensureOpen();
            gpu.bind();
            ledger.launched(cuda);
            try {
                cuda.enqueue(stream, scratch);
            } catch (RuntimeException e) {
                cuda.fail(e);
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
                gpu.bind();
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

    boolean query(EventSyncPoint point) {
        guard.lock();
        try {
            ensureOpen();
            boolean reached;
            try {
                gpu.bind();
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

    void await(EventSyncPoint point) {
        guard.lock();
        try {
            ensureOpen();
            try {
                gpu.bind();
                CudaDriver.eventSynchronize(point.event());
                ledger.retire(point.through(), null);
            } catch (RuntimeException e) {
                ledger.retire(point.through(), e);
            }
        } finally {
            guard.unlock();
        }
    }

    void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    void release(EventSyncPoint point) {
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
                gpu.bind();
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
    int eventsCreated() {
        guard.lock();
        try {
            return events.created();
        } finally {
            guard.unlock();
        }
    }

    /** @return the {@code CUstream}, for tests */
    long stream() {
        return stream;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA queue on " + gpu.id() + " was closed");
        }
    }

    @Override
    public void close() {
        guard.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                gpu.bind();
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
                        gpu.untrack(this);
                    }
                }
            }
        } finally {
            guard.unlock();
        }
    }

    @Override
    public String toString() {
        return "StreamQueue[" + gpu.id() + " 0x" + Long.toHexString(stream) + "]";
    }
}
