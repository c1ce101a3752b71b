package xsched.backend.cuda;

import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;

/**
 * A bare CUDA stream driven directly, without xsched: the baseline of the benchmarks. Launches
 * use the same driver binding and the same argument packing as the backend's queue, and bind
 * the context once (a native application binds it once per thread). The stream is made here, or
 * borrowed ({@link #over}, e.g. a green context's) and then left to its owner.
 */
public final class NativeStream implements AutoCloseable {
    private final CudaGpu gpu;
    private final long stream;
    private final boolean owned;
    private final long[] events = new long[2];
    private final LaunchScratch scratch = new LaunchScratch();
    private int recorded;
    private boolean closed;

    private NativeStream(CudaGpu gpu, long stream, boolean owned) {
        this.gpu = gpu;
        this.stream = stream;
        this.owned = owned;
        try {
            events[0] = CudaDriver.eventCreate(gpu.eventFlags());
            events[1] = CudaDriver.eventCreate(gpu.eventFlags());
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A new non-blocking stream of the GPU's primary context, destroyed by {@link #close()}.
     *
     * @param gpu      the GPU
     * @param priority stream priority, lower is more urgent ({@link #priorityRange})
     */
    public NativeStream(CudaGpu gpu, int priority) {
        this(gpu, created(gpu, priority), true);
    }

    private static long created(CudaGpu gpu, int priority) {
        gpu.bind();
        return CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
    }

    /** @param gpu the GPU @return {least, greatest} stream priority; greatest is the most urgent */
    public static int[] priorityRange(CudaGpu gpu) {
        gpu.bind();
        return CudaDriver.streamPriorityRange();
    }

    /**
     * @param gpu    the GPU whose primary context launches bind
     * @param stream a {@code CUstream} of that device, owned elsewhere and valid until this is closed
     * @return a launcher over it; {@link #close()} leaves the stream to its owner
     */
    public static NativeStream over(CudaGpu gpu, long stream) {
        if (stream == 0) {
            throw new IllegalArgumentException("a borrowed stream must not be the NULL stream");
        }
        gpu.bind();
        return new NativeStream(gpu, stream, false);
    }

    /** @return the {@code CUstream} */
    public long handle() {
        return stream;
    }

    /** Binds the GPU's primary context on the calling thread; call once per thread before launching. */
    public void bind() {
        gpu.bind();
    }

    /**
     * @param launch launched as is (a guarded kernel with this stream's flag and a fresh control
     *               block); the same object may be launched any number of times
     */
    public void launch(KernelLaunch launch) {
        QueueAccess.enqueue(launch, stream, scratch);
    }

    /** Waits for everything launched. */
    public void synchronize() {
        CudaDriver.streamSynchronize(stream);
    }

    /** Records an event after everything launched and waits for it (how xsched waits for a command). */
    public void recordAndSynchronize() {
        CudaDriver.eventRecord(events[0], stream);
        CudaDriver.eventSynchronize(events[0]);
    }

    /**
     * Records an event and waits for the one recorded before it: keeps two batches in flight.
     *
     * @return whether it waited, i.e. the batch before the one just recorded has completed
     */
    public boolean recordAndWaitPrevious() {
        CudaDriver.eventRecord(events[recorded & 1], stream);
        recorded++;
        if (recorded > 1) {
            CudaDriver.eventSynchronize(events[recorded & 1]);
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            gpu.bind();
            CudaDriver.streamSynchronize(stream);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (long event : events) {
            if (event != 0) {
                failure = attempt(failure, () -> CudaDriver.eventDestroy(event));
            }
        }
        if (owned) {
            failure = attempt(failure, () -> CudaDriver.streamDestroy(stream));
        }
        scratch.close();
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    @Override
    public String toString() {
        return (owned ? "stream 0x" : "borrowed stream 0x") + Long.toHexString(stream);
    }
}
