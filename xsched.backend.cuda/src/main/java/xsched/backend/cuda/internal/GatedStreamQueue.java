package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.HostWait;
import xsched.backend.cuda.KernelArgs;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 2 over one CUDA stream by a <em>gate</em> ({@link StreamGate}): a 32-bit word in device
 * memory (1 open, 0 closed) that the stream waits for ({@code cuStreamWaitValue32 >= 1}) in front
 * of every batch, the commands launched between two sync points (and the first launch); right
 * behind each gate a "started" event tells the host whether the batch passed it ({@link
 * BatchGates}). Gate words are written by the context's control stream ({@link GateControl}).
 *
 * <ul>
 *   <li>{@link #deactivate()} cuts the open batch (records its end event), closes the gate, waits
 *       until the close has landed (the control stream synchronized), then waits for the batches
 *       that passed their gate (the running kernel finishes) and leaves the others held: launched,
 *       not started ({@link BatchGates#waitForRunning} handles a gate evaluated just before the
 *       close). Commands launched while deactivated wait behind the closed gate. Sync points behind
 *       it are not cancelled: they are reached once the queue runs again ({@link HwQueue.Holding});
 *       a wait on one gives up when a deactivation takes effect ({@link #await}).
 *   <li>The context's {@link GateBudget} caps the gates closed at once; a deactivation beyond it
 *       keeps the gate open and waits for the launched work, as at level 1 ({@link #fallbacks()},
 *       logged at DEBUG). So does a deactivation with nothing pending, which closes nothing.
 *   <li>{@link #reactivate(List)} opens the gate and relaunches nothing.
 *   <li>{@link #synchronize()} and {@link #close()} open a closed gate first: held work runs,
 *       exactly once, and neither hangs on a gate.
 * </ul>
 *
 * Free-threaded like {@link StreamQueue}: every call binds the primary context and holds a read
 * lock, {@link #close()} the write lock (after opening the gate, so threads waiting on held sync
 * points finish first).
 */
public final class GatedStreamQueue implements HwQueue.Holding, HwQueue.FreeThreaded, EventPointQueue {
    private static final Logger LOG = LoggerFactory.getLogger(GatedStreamQueue.class);

    /** System property: microseconds after a close landed within which a gate that passed must show it (default 50). */
    public static final String SETTLE_PROPERTY = "xsched.cuda.gate.settleMicros";
    private static final long SETTLE_NANOS = 1000L * Long.getLong(SETTLE_PROPERTY, 50);
    private static final long SPIN_NANOS = 200_000;
    private static final long MIN_NAP_NANOS = 10_000;
    private static final long MAX_NAP_NANOS = 200_000;

    private final CudaGpu gpu;
    private final long stream;
    private final GateControl control;
    private final EventPool events;
    private final StreamGate gate;
    private final LaunchScratch scratch = new LaunchScratch();
    private final Function<KernelArgs, MemorySegment> params = scratch::params;
    private final LaunchLedger ledger = new LaunchLedger();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock guard = lock.readLock();
    private final Lock closing = lock.writeLock();
    private final long spinNanos;
    private volatile boolean closed;

    private GatedStreamQueue(CudaGpu gpu, int priority) {
        this.gpu = gpu;
        this.spinNanos = gpu.hostWait() == HostWait.BLOCKING ? 0 : SPIN_NANOS;
        int eventFlags = QueueAccess.eventFlags(gpu);
        this.events = new EventPool(() -> CudaDriver.eventCreate(eventFlags), CudaDriver::eventDestroy);
        BatchGates.Events driverEvents = new BatchGates.Events() {
            @Override
            public boolean query(long event) {
                return CudaDriver.eventQuery(event);
            }

            @Override
            public void synchronize(long event) {
                CudaDriver.eventSynchronize(event);
            }

            @Override
            public void give(long event) {
                events.give(event);
            }
        };
        this.control = GateControl.acquire(QueueAccess.context(gpu), DeviceConnections.ensure());
        StreamGate g = null;
        try {
            g = new StreamGate(gpu.id() + " gated queue", control, driverEvents, SETTLE_NANOS);
            this.stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
        } catch (RuntimeException e) {
            if (g != null) {
                g.release();
            }
            control.release();
            throw e;
        }
        this.gate = g;
    }

    /**
     * Opens a gated queue over a new non-blocking stream; the GPU closes it when retired or closed.
     *
     * @param gpu      a GPU whose driver supports stream memory operations ({@link QueueAccess#gateSupport})
     * @param priority stream priority; lower numbers are more urgent
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed
     */
    public static GatedStreamQueue open(CudaGpu gpu, int priority) {
        QueueAccess.openingQueue(gpu);
        return QueueAccess.track(gpu, new GatedStreamQueue(gpu, priority));
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
            synchronized (gate) {
                try {
                    gate.beforeLaunch(stream, events);
                    QueueAccess.enqueue(cuda, stream, params);
                } catch (RuntimeException e) {
                    QueueAccess.fail(cuda, e);
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
                QueueAccess.bind(gpu);
                event = events.take();
            } catch (RuntimeException e) {
                return EventSyncPoint.failed(this, through, e);
            }
            synchronized (gate) {
                try {
                    CudaDriver.eventRecord(event, stream);
                } catch (RuntimeException e) {
                    events.give(event);
                    return EventSyncPoint.failed(this, through, e);
                }
                try {
                    gate.pointRecorded(stream, events);
                } catch (RuntimeException e) {
                    LOG.debug("{}: recording a batch end failed: {}", this, e.getMessage());
                }
            }
            return new EventSyncPoint(this, event, through);
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void deactivate() {
        guard.lock();
        try {
            if (closed) {
                return;
            }
            QueueAccess.bind(gpu);
            StreamGate.Stop stop = gate.beginStop(stream, events);
            if (stop != null) {
                gate.awaitStop(stop);
            }
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void reactivate(List<HwCommand> log) {
        guard.lock();
        try {
            ensureOpen();
            QueueAccess.bind(gpu);
            gate.open(false);
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

    /**
     * Waits for a point by polling its event, and gives up (false) as soon as a deactivation is in
     * effect: behind a closed gate the point is only reached once the queue runs again, and the
     * thread that would reopen it may be this one (the core's launch worker), so a wait must never
     * outlast a deactivation. The point stays valid ({@link HwQueue.Holding}); waiting again after
     * reactivation reaches it. It spins first (as the driver's own wait does in the spin and auto
     * host-wait modes; not with blocking waits), then parks in growing naps.
     */
    @Override
    public boolean await(EventSyncPoint point) {
        guard.lock();
        try {
            ensureOpen();
            QueueAccess.bind(gpu);
            long start = System.nanoTime();
            long nap = MIN_NAP_NANOS;
            while (true) {
                boolean reached;
                try {
                    reached = CudaDriver.eventQuery(point.event());
                } catch (RuntimeException e) {
                    ledger.retire(point.through(), e);
                    return true;
                }
                if (reached) {
                    ledger.retire(point.through(), null);
                    return true;
                }
                if (gate.deactivated()) {
                    return false;
                }
                if (System.nanoTime() - start < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, nap);
                    nap = Math.min(2 * nap, MAX_NAP_NANOS);
                }
            }
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

    /** Waits for every launched command; a closed gate is opened first (held work runs), so this never hangs on it. */
    @Override
    public void synchronize() {
        guard.lock();
        try {
            ensureOpen();
            try {
                QueueAccess.bind(gpu);
                if (gate.open(false)) {
                    LOG.debug("{}: synchronize() while deactivated opened the gate; held commands run", this);
                }
                CudaDriver.streamSynchronize(stream);
                ledger.retire(ledger.launched(), null);
            } catch (RuntimeException e) {
                ledger.retire(ledger.launched(), e);
            }
        } finally {
            guard.unlock();
        }
    }

    /** @return deactivations (and launches while deactivated) that fell back to level 1 because the context's gate budget was spent */
    public long fallbacks() {
        return gate.fallbacks();
    }

    /** @return batches that deactivations found held behind the closed gate, so far */
    public long heldBatches() {
        return gate.held();
    }

    /** @return the gate budget of this queue's context */
    public GateBudget budget() {
        return control.budget();
    }

    /** @return whether the gate is closed now */
    public boolean gateClosed() {
        return gate.closed();
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

    /**
     * Opens a closed gate first, so held commands run (once, in order) instead of staying stuck on
     * the device, then waits for everything launched and releases the stream, gate and events.
     */
    @Override
    public void close() {
        if (!closed) {
            try {
                QueueAccess.bind(gpu);
                gate.shutDown();
            } catch (RuntimeException e) {
                LOG.warn("{}: opening the gate before closing failed: {}", this, e.getMessage());
            }
        }
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
            gate.release();
            events.close();
        } finally {
            try {
                CudaDriver.streamDestroy(stream);
            } finally {
                try {
                    control.release();
                } finally {
                    scratch.close();
                    QueueAccess.untrack(gpu, this);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "GatedStreamQueue[" + gpu.id() + " 0x" + Long.toHexString(stream) + "]";
    }
}
