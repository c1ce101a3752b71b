package xsched.backend.cuda.embed;

import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.support.EventQueue;
import xsched.spi.hal.HwCommand;

/**
 * Level 1 over an application thread's per-thread default stream ({@code xsched run}): the stream
 * handle is {@code CU_STREAM_PER_THREAD}, which means "the calling thread's stream", so the only
 * operations this queue makes on the stream run on the {@link OwnerThread}: a launch, and right
 * behind it, in the same turn on the owner, the record of the queue's latest event ({@link
 * TrailingEvents}). A launch from the queue's worker (the scheduler held the command back) is
 * handed to the owner, which waits for exactly that launch. Everything else works with events
 * alone, from any thread, whether or not the owner still runs: a sync point is the latest event
 * (it covers every launch so far); {@link #synchronize()} and {@link #close()} wait for it instead
 * of synchronizing the stream. So nothing ever waits for the owner after it returned to the
 * application or ended, and nothing is launched on another thread's stream.
 *
 * <p>Only the owner's {@link xsched.backend.cuda.ApplicationCall}s are accepted, submitted on the
 * owner. The queue needs the owner's current context to be the GPU's primary context while it
 * launches (its calls are checked for it before they are submitted).
 */
final class PerThreadStreamQueue extends EventQueue<CudaCommand> {
    /** {@code CU_STREAM_PER_THREAD}. */
    static final long PER_THREAD = 0x2;

    private final CudaGpu gpu;
    private final OwnerThread owner;
    private final TrailingEvents events;
    private final LaunchScratch scratch = new LaunchScratch();

    private PerThreadStreamQueue(CudaGpu gpu, OwnerThread owner) {
        super("the CUDA queue over the per-thread stream of " + owner + " on " + gpu.id(), QueueAccess::fail);
        this.gpu = gpu;
        this.owner = owner;
        int flags = QueueAccess.eventFlags(gpu);
        long initial = CudaDriver.eventCreate(flags);
        this.events = new TrailingEvents(() -> CudaDriver.eventCreate(flags), CudaDriver::eventDestroy, initial);
    }

    /**
     * Opens a queue over the owner's per-thread default stream; the GPU closes it when it is
     * retired or closed.
     *
     * @param gpu   the GPU whose primary context the owner's stream belongs to
     * @param owner the thread whose per-thread stream it is
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed
     */
    static PerThreadStreamQueue open(CudaGpu gpu, OwnerThread owner) {
        QueueAccess.openingQueue(gpu);
        return QueueAccess.track(gpu, new PerThreadStreamQueue(gpu, owner));
    }

    @Override
    public void accept(HwCommand command) {
        QueueAccess.admit(command, gpu);
        if (!owner.isCurrent()) {
            throw new IllegalArgumentException(command.describe() + " was submitted by thread '" + Thread.currentThread().getName()
                    + "' to the queue over the per-thread stream of " + owner + "; only that thread's own calls belong there");
        }
    }

    @Override
    protected CudaCommand admit(HwCommand command) {
        return QueueAccess.forQueueOn(command, gpu);
    }

    @Override
    protected void enqueue(CudaCommand command) {
        owner.run(() -> {
            RuntimeException failed = null;
            try {
                QueueAccess.enqueue(command, PER_THREAD, scratch);
            } catch (RuntimeException e) {
                failed = e;
            }
            try {
                // even behind a failed call: the ledger counts it launched, and a sync point must cover it
                events.recordBehindLaunch(event -> CudaDriver.eventRecord(event, PER_THREAD));
            } catch (RuntimeException e) {
                if (failed == null) {
                    throw e;
                }
                failed.addSuppressed(e);
            }
            if (failed != null) {
                throw failed;
            }
        });
    }

    @Override
    protected long placeEvent() {
        return events.takeLatest();
    }

    @Override
    protected boolean eventReached(long event) {
        QueueAccess.bind(gpu);
        return CudaDriver.eventQuery(event);
    }

    @Override
    protected void awaitEvent(long event) {
        QueueAccess.bind(gpu);
        CudaDriver.eventSynchronize(event);
    }

    @Override
    protected void releaseEvent(long event, boolean afterClose) {
        events.give(event);
    }

    /** Waits for the latest event, never for the stream: the owner may be anywhere by now. */
    @Override
    protected void drain() {
        long event = events.takeLatest();
        try {
            awaitEvent(event);
        } finally {
            events.give(event);
        }
    }

    @Override
    protected void free() {
        try {
            QueueAccess.bind(gpu);
            events.close();
        } finally {
            scratch.close();
        }
    }

    @Override
    protected void closed() {
        QueueAccess.untrack(gpu, this);
    }

    /** @return events this queue created */
    int eventsCreated() {
        return events.created();
    }

    @Override
    public String toString() {
        return "PerThreadStreamQueue[" + gpu.id() + " " + owner + "]";
    }
}
