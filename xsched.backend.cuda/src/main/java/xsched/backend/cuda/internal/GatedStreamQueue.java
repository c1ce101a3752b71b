package xsched.backend.cuda.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.HostWait;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.cuda.internal.ptx.ControlBlockLayout;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;

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
 * Guarded launches that a stop cut short are relaunched on a second stream of the queue's own
 * SMs: the bound context's (made when first needed), or the same partition's for a queue on one
 * ({@link #onPartition}).
 *
 * <p>Free-threaded and locked like every {@link EventStream}; {@link #close()} opens the gate before it
 * takes the write lock, so threads waiting on held sync points finish first.
 */
public final class GatedStreamQueue extends EventStream implements HwQueue.Holding, HwQueue.Interruptible {
    private static final Logger LOG = LoggerFactory.getLogger(GatedStreamQueue.class);

    /** System property: microseconds after a close landed within which a gate that passed must show it (default 50). */
    public static final String SETTLE_PROPERTY = "xsched.cuda.gate.settleMicros";
    private static final long SETTLE_NANOS = 1000L * Long.getLong(SETTLE_PROPERTY, 50);
    private static final long SPIN_NANOS = 200_000;
    private static final long MIN_NAP_NANOS = 10_000;
    private static final long MAX_NAP_NANOS = 200_000;

    private final GateControl control;
    private final StreamGate gate;
    private final long spinNanos;
    /** Guarded launches relaunched by every gated queue of this process, for {@link #relaunchesInProcess()}. */
    private static final LongAdder RELAUNCHED = new LongAdder();

    /** Where guarded launches cut short by a stop run again: the partition's, given at open; else made on the first relaunch. */
    private long relaunchStream;

    private GatedStreamQueue(CudaGpu gpu, Origin origin, long relaunchStream) {
        super(gpu, origin);
        this.relaunchStream = relaunchStream;
        this.spinNanos = gpu.hostWait() == HostWait.BLOCKING ? 0 : SPIN_NANOS;
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
        GateControl c = null;
        try {
            c = GateControl.acquire(QueueAccess.context(gpu), DeviceConnections.ensure());
            this.gate = new StreamGate(gpu.id() + " gated queue", c, driverEvents, SETTLE_NANOS, this::relaunch);
        } catch (RuntimeException e) {
            if (c != null) {
                c.release();
            }
            abandon();
            throw e;
        }
        this.control = c;
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
        return QueueAccess.track(gpu, new GatedStreamQueue(gpu, Origin.created(priority), 0));
    }

    /**
     * Opens a gated queue over one of an application's streams ({@code xsched run}), the legacy
     * NULL stream (0) included; the queue never destroys it. Its owner closes the queue first.
     *
     * @param gpu    a GPU whose driver supports stream memory operations, whose primary context the stream belongs to
     * @param stream the application's {@code CUstream}, or 0
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed
     */
    public static GatedStreamQueue adopt(CudaGpu gpu, long stream) {
        QueueAccess.openingQueue(gpu);
        return QueueAccess.track(gpu, new GatedStreamQueue(gpu, Origin.borrowed(stream), 0));
    }

    /**
     * Opens a queue over a stream made for it on a partition of the GPU's SMs ({@link
     * xsched.backend.cuda.internal.green.SmPartitioning#newStream}); the queue destroys the stream when closed.
     *
     * Guarded launches that a stop cut short run again on {@code relaunchStream}, a second stream of
     * the same partition made with the first (a partition's streams cannot be made once its split
     * is closing, so it is never made later), so they stay on its SMs too.
     *
     * @param gpu            the GPU whose device the partition belongs to
     * @param stream         the partition's new stream
     * @param relaunchStream another new stream of the same partition; the queue destroys both when closed
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed; both streams are destroyed then
     */
    public static GatedStreamQueue onPartition(CudaGpu gpu, long stream, long relaunchStream) {
        try {
            QueueAccess.openingQueue(gpu);
        } catch (RuntimeException e) {
            throw HandedStreams.destroy(e, stream, relaunchStream);
        }
        GatedStreamQueue q;
        try {
            q = new GatedStreamQueue(gpu, Origin.handedOver(stream), relaunchStream);
        } catch (RuntimeException e) {
            throw HandedStreams.destroy(e, relaunchStream); // the constructor destroyed its own stream
        }
        // from here the queue owns both: one the GPU refuses to track is closed, and its streams with it
        return QueueAccess.track(gpu, q);
    }

    /** A gate and a started event first when a new batch begins; under the gate's monitor, so a deactivation never cuts a launch. */
    @Override
    void enqueueBound(CudaCommand command) {
        synchronized (gate) {
            gate.beforeLaunch(stream, events);
            enqueueCommand(command);
            if (command instanceof KernelLaunch launch && launch.kernel().guarded()) {
                gate.guardedLaunched(stream, events, new GuardedTail(launch, scratch.lastGuardedBlock()), scratch.stopFlag());
            }
        }
    }

    /**
     * The point's event ends the open batch. In a queue that launches guarded kernels, a point after
     * one gets a batch of its own first, so it lies behind a gate: if a stop cuts that kernel short,
     * the point is reached only after its relaunch.
     */
    @Override
    void recordEvent(long event) {
        synchronized (gate) {
            if (gate.gatesPoints()) {
                gate.beforeLaunch(stream, events);
            }
            CudaDriver.eventRecord(event, stream);
            try {
                gate.pointRecorded(stream, events, event);
            } catch (RuntimeException e) {
                LOG.debug("{}: recording a batch end failed: {}", this, e.getMessage());
            }
        }
    }

    /** The batches before a point seen reached leave the gate's books at once. */
    @Override
    void reached(long event) {
        gate.pointReached(event);
    }

    /** Level 2: the gate closes; a running guarded kernel's blocks not started leave, running ones finish. */
    @Override
    public void deactivate() {
        stop(ControlBlockLayout.STOP_BETWEEN_BLOCKS);
    }

    /** Level 3: as {@link #deactivate()}, and a running interruptible kernel's blocks leave at their next interrupt point. */
    @Override
    public void interrupt() {
        stop(ControlBlockLayout.STOP_INSIDE_BLOCKS);
    }

    private void stop(int flagValue) {
        whileOpen(() -> {
            QueueAccess.bind(gpu);
            StreamGate.Stop stop = gate.beginStop(stream, events, flagValue);
            if (stop != null) {
                gate.awaitStop(stop);
            }
        }, false);
    }

    /** Undoes {@link #interrupt()}: as {@link #reactivate}; interrupted blocks are redone by the relaunch. */
    @Override
    public void restore(List<HwCommand> log) {
        reactivate(log);
    }

    @Override
    public void reactivate(List<HwCommand> log) {
        whileOpen(() -> {
            QueueAccess.bind(gpu);
            gate.open(false);
        }, true);
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
    protected boolean awaitUnlessHeld(long event) {
        QueueAccess.bind(gpu);
        long start = System.nanoTime();
        long nap = MIN_NAP_NANOS;
        while (true) {
            if (CudaDriver.eventQuery(event)) {
                reached(event);
                return true;
            }
            gate.settle();
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
    }

    /**
     * Waits for every launched command; a closed gate is opened first (held work runs), so this
     * never hangs on it. When the gate cannot be opened, the held commands fail rather than leave
     * the caller waiting forever.
     */
    @Override
    protected void drain() {
        QueueAccess.bind(gpu);
        if (gate.open(true)) {
            LOG.debug("{}: synchronize() while deactivated opened the gate; held commands run", this);
        }
        super.drain();
    }

    /** @return deactivations (and launches while deactivated) that fell back to level 1 because the context's gate budget was spent */
    public long fallbacks() {
        return gate.fallbacks();
    }

    /** @return batches that deactivations found held behind the closed gate, so far */
    public long heldBatches() {
        return gate.held();
    }

    /** @return guarded launches relaunched after stops cut them short (or may have), so far */
    public long relaunches() {
        return gate.relaunches();
    }

    /** @return guarded launches relaunched by all gated queues of this process so far */
    public static long relaunchesInProcess() {
        return RELAUNCHED.sum();
    }

    /** @return the gate budget of this queue's context */
    public GateBudget budget() {
        return control.budget();
    }

    /** @return whether the gate is closed now */
    public boolean gateClosed() {
        return gate.closed();
    }

    /**
     * Opens a closed gate before the close waits for the calls under way, so held commands run
     * (once, in order) and threads waiting on them finish, instead of staying stuck on the device.
     */
    @Override
    protected void beforeClose() {
        try {
            QueueAccess.bind(gpu);
            gate.shutDown();
        } catch (RuntimeException e) {
            LOG.warn("{}: opening the gate before closing failed: {}", this, e.getMessage());
        }
    }

    /** Opens the gate once a relaunch after a stop completed: the points polled lie behind it. */
    @Override
    void settle() {
        gate.settle();
    }

    /** The gate's {@link StreamGate.Relauncher}: the guarded launches again, on the queue's relaunch stream (made on first use). */
    private long relaunch(List<GuardedTail> tails) {
        QueueAccess.bind(gpu);
        if (relaunchStream == 0) {
            relaunchStream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, 0);
        }
        RELAUNCHED.add(tails.size());
        for (GuardedTail t : tails) {
            if (t.launch().kernel().interruptible()) {
                // level 3: the blocks interrupted this time are redone first
                CudaMemory.memcpyDtoDAsync(t.block() + ControlBlockLayout.REDO_END, t.block() + ControlBlockLayout.RECORD_NEXT,
                        4, relaunchStream);
            }
            QueueAccess.relaunch(t.launch(), relaunchStream, scratch, t.block());
        }
        return events.takeRecorded(event -> CudaDriver.eventRecord(event, relaunchStream));
    }

    @Override
    void releaseMore() {
        try {
            gate.release();
        } finally {
            try {
                control.release();
            } finally {
                if (relaunchStream != 0) {
                    CudaDriver.streamDestroy(relaunchStream);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "GatedStreamQueue[" + gpu.id() + " 0x" + Long.toHexString(stream) + "]";
    }
}
