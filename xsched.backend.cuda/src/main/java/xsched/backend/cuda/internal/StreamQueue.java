package xsched.backend.cuda.internal;

import xsched.backend.cuda.CudaCommand;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.QueueAccess;

/**
 * Level 1 over one CUDA stream ({@link EventStream}): commands are enqueued as they are launched,
 * and a thread waiting for a sync point blocks in {@code cuEventSynchronize} as the GPU's host
 * wait mode says; a deactivation lets the launched work run out (the core stops launching).
 */
public final class StreamQueue extends EventStream {
    private StreamQueue(CudaGpu gpu, Origin origin) {
        super(gpu, origin);
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
        return QueueAccess.track(gpu, new StreamQueue(gpu, Origin.created(priority)));
    }

    /**
     * Opens a queue over a stream made elsewhere, e.g. on a green context ({@code
     * internal.green.SmPartition#stream()}): the queue launches on it, binding the GPU's primary
     * context as always, and synchronizes it when closed, but never destroys it. Its owner closes
     * the queue before destroying the stream. The GPU closes the queue when it is retired or closed.
     *
     * @param gpu    the GPU whose device the stream belongs to
     * @param stream a non-blocking {@code CUstream}, not the NULL stream
     * @return the queue
     * @throws IllegalArgumentException when {@code stream} is 0
     * @throws IllegalStateException    when the GPU was retired or closed
     */
    public static StreamQueue over(CudaGpu gpu, long stream) {
        if (stream == 0) {
            throw new IllegalArgumentException("a queue needs a stream of its own, not the NULL stream");
        }
        return adopt(gpu, stream);
    }

    /**
     * Opens a queue over one of an application's streams ({@code xsched run}): like {@link
     * #over(CudaGpu, long)}, and the stream may also be 0, the primary context's legacy NULL stream.
     *
     * @param gpu    the GPU whose primary context the stream belongs to
     * @param stream the application's {@code CUstream}, or 0
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed
     */
    public static StreamQueue adopt(CudaGpu gpu, long stream) {
        QueueAccess.openingQueue(gpu);
        return QueueAccess.track(gpu, new StreamQueue(gpu, Origin.borrowed(stream)));
    }

    /**
     * Opens a queue over a stream made for it on a partition of the GPU's SMs ({@link
     * xsched.backend.cuda.internal.green.SmPartitioning#newStream}); the queue destroys the stream when closed.
     *
     * @param gpu    the GPU whose device the partition belongs to
     * @param stream the partition's new stream
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed; the stream is destroyed then
     */
    public static StreamQueue onPartition(CudaGpu gpu, long stream) {
        try {
            QueueAccess.openingQueue(gpu);
        } catch (RuntimeException e) {
            throw HandedStreams.destroy(e, stream);
        }
        // from here the queue owns the stream: one the GPU refuses to track is closed, its stream with it
        return QueueAccess.track(gpu, new StreamQueue(gpu, Origin.handedOver(stream)));
    }

    @Override
    void enqueueBound(CudaCommand command) {
        enqueueCommand(command);
    }

    @Override
    public String toString() {
        return "StreamQueue[" + gpu.id() + " 0x" + Long.toHexString(stream) + "]";
    }
}
