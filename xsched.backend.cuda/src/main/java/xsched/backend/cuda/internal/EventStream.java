package xsched.backend.cuda.internal;

import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.support.EventQueue;
import xsched.spi.hal.HwCommand;

/**
 * What the CUDA hardware queues share, on the {@link EventQueue} every in-order stream backend
 * uses (ledger of launched commands, event sync points, the shared/exclusive locking that lets
 * {@link CudaPlatform#close()} and {@link CudaPlatform#retire()} close a queue from another thread
 * without racing a call): one stream, events from a pool, and the GPU's primary context bound
 * before every driver call, since the core launches from whichever thread holds the queue's launch
 * token and waits on sync points from any thread. It runs commands built with any {@link CudaGpu}
 * object of its device and primary context, e.g. those of a retired platform after a backend swap.
 *
 * <p>{@link StreamQueue} (level 1) and {@link GatedStreamQueue} (level 2) add how a command is
 * enqueued, how a point is awaited and what a close releases.
 */
abstract sealed class EventStream extends EventQueue<CudaCommand> permits StreamQueue, GatedStreamQueue {
    final CudaGpu gpu;
    final long stream;
    /** False for a stream made elsewhere (e.g. an application's): used and synchronized, never destroyed. */
    private final boolean ownsStream;
    final EventPool events;
    final LaunchScratch scratch = new LaunchScratch();

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
        super("the CUDA queue on " + gpu.id(), QueueAccess::fail);
        this.gpu = gpu;
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
    protected final CudaCommand admit(HwCommand command) {
        return QueueAccess.forQueueOn(command, gpu);
    }

    @Override
    protected final void enqueue(CudaCommand command) {
        QueueAccess.bind(gpu);
        enqueueBound(command);
    }

    /** Enqueues a launched command on the stream, the context bound; throwing fails the command alone. */
    abstract void enqueueBound(CudaCommand command);

    /** Enqueues the command itself on the stream. */
    final void enqueueCommand(CudaCommand command) {
        QueueAccess.enqueue(command, stream, scratch);
    }

    @Override
    protected final long placeEvent() {
        QueueAccess.bind(gpu);
        return events.takeRecorded(this::recordEvent);
    }

    /** Records a sync point's event on the stream (context bound). */
    void recordEvent(long event) {
        CudaDriver.eventRecord(event, stream);
    }

    @Override
    protected final boolean eventReached(long event) {
        QueueAccess.bind(gpu);
        if (CudaDriver.eventQuery(event)) {
            reached(event);
            return true;
        }
        settle();
        return false;
    }

    /** A sync point's event, still held by its waiter, was seen complete: what the kind of queue learns from it. */
    void reached(long event) {
    }

    /** A point was found not reached: what the kind of queue may move along meanwhile (a gated one's relaunch). */
    void settle() {
    }

    /** Blocks in {@code cuEventSynchronize}, as the GPU's host wait mode says. */
    @Override
    protected final void awaitEvent(long event) {
        QueueAccess.bind(gpu);
        CudaDriver.eventSynchronize(event);
        reached(event);
    }

    @Override
    protected final void releaseEvent(long event, boolean afterClose) {
        if (!afterClose) {
            events.give(event);
        }
    }

    @Override
    protected void drain() {
        QueueAccess.bind(gpu);
        CudaDriver.streamSynchronize(stream);
    }

    /** After the stream was synchronized: what this kind of queue holds, the events, then the stream if it is the queue's. */
    @Override
    protected final void free() {
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
            }
        }
    }

    @Override
    protected final void closed() {
        QueueAccess.untrack(gpu, this);
    }

    /** @return events this queue created for sync points */
    public final int eventsCreated() {
        return events.created();
    }

    /** @return the {@code CUstream}, for tests */
    public final long stream() {
        return stream;
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
