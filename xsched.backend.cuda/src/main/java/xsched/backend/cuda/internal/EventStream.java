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
import xsched.backend.support.EventSyncPoint;
import xsched.backend.support.LaunchLedger;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * What the CUDA hardware queues share: one non-blocking stream, sync points that are pooled events
 * ({@link EventSyncPoint}), the ledger of launched commands, and the locking. Free-threaded: the
 * core launches from whichever thread holds the queue's launch token (the submitting thread or the
 * launch worker) and waits on sync points from any thread, so every call binds the primary context
 * first. Calls share a read lock and {@link #close()} takes the write lock, so {@link
 * CudaPlatform#close()} and {@link CudaPlatform#retire()} may close the queue from another thread
 * without racing a call, while a thread blocked on an event never holds up a launch. It runs
 * commands built with any {@link CudaGpu} object of its device and primary context, e.g. those of
 * a retired platform after a backend swap.
 *
 * <p>{@link StreamQueue} (level 1) and {@link GatedStreamQueue} (level 2) add how a command is
 * enqueued, how a point is awaited and what a close releases.
 */
abstract sealed class EventStream implements HwQueue.FreeThreaded, EventSyncPoint.Events permits StreamQueue, GatedStreamQueue {
    final CudaGpu gpu;
    final long stream;
    /** False for a stream made elsewhere (e.g. on a green context): used and synchronized, never destroyed. */
    private final boolean ownsStream;
    final EventPool events;
    final LaunchLedger<CudaCommand> ledger = new LaunchLedger<>(QueueAccess::fail);
    final Lock guard;
    private final LaunchScratch scratch = new LaunchScratch();
    private final Function<KernelArgs, MemorySegment> params = scratch::params;
    private final Lock closing;
    private volatile boolean closed;

    /**
     * Where a queue's stream comes from.
     *
     * @param borrowed false: the queue destroys its stream when closed — {@code stream} when given
     *                 (made for it elsewhere), else a non-blocking stream it creates with {@code
     *                 priority} (the GPU's context is bound, see {@link QueueAccess#openingQueue});
     *                 true: {@code stream} was made elsewhere and its owner destroys it after closing
     *                 the queue
     * @param priority the priority of a stream the queue creates
     * @param stream   a borrowed {@code CUstream} of the GPU's primary context: a non-blocking one
     *                 (e.g. of a green context), or an application's under {@code xsched run}, which
     *                 may be any of its streams and 0, the context's legacy NULL stream
     */
    record Origin(boolean borrowed, int priority, long stream) {
        static Origin created(int priority) {
            return new Origin(false, priority, 0);
        }

        static Origin borrowed(long stream) {
            return new Origin(true, 0, stream);
        }

        /** A stream made for the queue elsewhere (e.g. on a green context), which the queue destroys when closed. */
        static Origin handedOver(long stream) {
            return new Origin(false, 0, stream);
        }
    }

    EventStream(CudaGpu gpu, Origin origin) {
        this.gpu = gpu;
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        this.guard = lock.readLock();
        this.closing = lock.writeLock();
        int eventFlags = QueueAccess.eventFlags(gpu);
        this.events = new EventPool(() -> CudaDriver.eventCreate(eventFlags), CudaDriver::eventDestroy);
        this.ownsStream = !origin.borrowed();
        this.stream = ownsStream && origin.stream() == 0
                ? CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, origin.priority()) : origin.stream();
    }

    @Override
    public final void accept(HwCommand command) {
        QueueAccess.admit(command, gpu);
    }

    @Override
    public final void launch(HwCommand command) {
        CudaCommand cuda = QueueAccess.forQueueOn(command, gpu);
        guard.lock();
        try {
            ensureOpen();
            QueueAccess.bind(gpu);
            ledger.launched(cuda);
            enqueue(cuda);
        } finally {
            guard.unlock();
        }
    }

    /** Enqueues a launched command on the stream (lock held, context bound); a failure fails the command. */
    abstract void enqueue(CudaCommand command);

    /** Enqueues the command itself; a driver error fails it, not the queue. */
    final void enqueueCommand(CudaCommand command) {
        try {
            QueueAccess.enqueue(command, stream, params);
        } catch (RuntimeException e) {
            QueueAccess.fail(command, e);
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
                QueueAccess.bind(gpu);
                event = events.take();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            try {
                recordEvent(event);
            } catch (RuntimeException e) {
                events.give(event);
                return EventSyncPoint.failed(this, through, e);
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    /** Records a sync point's event on the stream (lock held, context bound). */
    void recordEvent(long event) {
        CudaDriver.eventRecord(event, stream);
    }

    @Override
    public final boolean query(long event, long through) {
        guard.lock();
        try {
            ensureOpen();
            try {
                QueueAccess.bind(gpu);
            } catch (RuntimeException e) {
                ledger.retire(through, e);
                return true;
            }
            return poll(event, through);
        } finally {
            guard.unlock();
        }
    }

    /** Queries the event (lock held, context bound); reached or failed, its commands retire. */
    final boolean poll(long event, long through) {
        boolean reached;
        try {
            reached = CudaDriver.eventQuery(event);
        } catch (RuntimeException e) {
            ledger.retire(through, e);
            return true;
        }
        if (reached) {
            ledger.retire(through, null);
        }
        return reached;
    }

    /**
     * {@inheritDoc} Returns false when the wait was given up (level 2: a deactivation took effect;
     * the point stays valid).
     */
    @Override
    public abstract boolean await(long event, long through);

    @Override
    public final void retire(long through, Throwable failure) {
        ledger.retire(through, failure);
    }

    /** Gives a closed point's event back to the pool. */
    @Override
    public final void release(long event) {
        guard.lock();
        try {
            if (!closed) {
                events.give(event);
            }
        } finally {
            guard.unlock();
        }
    }

    /** Waits for every launched command (lock held); a failure fails them, not the caller. */
    final void synchronizeStream() {
        try {
            QueueAccess.bind(gpu);
            CudaDriver.streamSynchronize(stream);
            ledger.retire(ledger.launched(), null);
        } catch (RuntimeException e) {
            ledger.retire(ledger.launched(), e);
        }
    }

    /** @return events this queue created for sync points */
    public final int eventsCreated() {
        guard.lock();
        try {
            return events.created();
        } finally {
            guard.unlock();
        }
    }

    /** @return the {@code CUstream}, for tests */
    public final long stream() {
        return stream;
    }

    final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA queue on " + gpu.id() + " was closed");
        }
    }

    final boolean closed() {
        return closed;
    }

    /**
     * Waits for everything launched, then releases the stream, the events and whatever the kind of
     * queue holds ({@link #releaseMore()}); idempotent.
     */
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
                release();
            }
        } finally {
            closing.unlock();
        }
    }

    private void release() {
        try {
            try {
                releaseMore();
            } finally {
                events.close();
            }
        } finally {
            try {
                destroyOwnStream();
            } finally {
                scratch.close();
                QueueAccess.untrack(gpu, this);
            }
        }
    }

    private void destroyOwnStream() {
        if (ownsStream) {
            CudaDriver.streamDestroy(stream);
        }
    }

    /** On close, after the stream was synchronized and before it is destroyed: what this kind of queue holds. */
    void releaseMore() {
    }

    /** Destroys the stream of a queue whose construction failed after this class's. */
    final void abandon() {
        try {
            destroyOwnStream();
        } finally {
            try {
                events.close();
            } finally {
                scratch.close();
            }
        }
    }
}
