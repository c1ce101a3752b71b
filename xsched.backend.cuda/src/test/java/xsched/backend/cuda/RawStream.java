package xsched.backend.cuda;

import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;

/**
 * A CUDA stream driven directly, without xsched, like {@link NativeStream}, but either made here
 * with a priority ({@link #create}) or borrowed from its owner ({@link #over}), e.g. a green
 * context's stream ({@code internal.green.SmPartition#streamHandle()}). Both take the same launch
 * path (the primary context bound, the backend's argument packing, {@code cuLaunchKernel} on the
 * stream), so a benchmark comparing them compares only where the work runs. A green context's
 * stream runs its kernels on its own SMs whichever context is current, and the primary context's
 * modules and events work with it (as {@code StreamQueue.over} relies on).
 *
 * <p>One thread launches at a time. {@link #close()} waits for the stream, destroys the events and
 * the stream if it was made here, never a borrowed one; idempotent.
 */
public final class RawStream implements AutoCloseable {
    private final CudaGpu gpu;
    private final long stream;
    private final boolean owned;
    private final long[] events = new long[2];
    private final LaunchScratch scratch = new LaunchScratch();
    private int recorded;
    private boolean closed;

    private RawStream(CudaGpu gpu, long stream, boolean owned) {
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
     * @param gpu      the GPU
     * @param priority stream priority, lower is more urgent ({@link NativeStream#priorityRange})
     * @return a new non-blocking stream of the GPU's primary context, destroyed by {@link #close()}
     */
    public static RawStream create(CudaGpu gpu, int priority) {
        gpu.bind();
        long stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
        return new RawStream(gpu, stream, true);
    }

    /**
     * @param gpu    the GPU whose primary context launches bind
     * @param stream a {@code CUstream} of that device, owned elsewhere and valid until this is closed
     * @return a launcher over it; {@link #close()} leaves the stream to its owner
     */
    public static RawStream over(CudaGpu gpu, long stream) {
        if (stream == 0) {
            throw new IllegalArgumentException("a borrowed stream must not be the NULL stream");
        }
        gpu.bind();
        return new RawStream(gpu, stream, false);
    }

    /** @return the {@code CUstream} */
    public long handle() {
        return stream;
    }

    /** Binds the GPU's primary context on the calling thread; call once per thread before launching. */
    public void bind() {
        gpu.bind();
    }

    /** @param launch launched as is; the same object may be launched any number of times */
    public void launch(KernelLaunch launch) {
        Dim3 g = launch.grid();
        Dim3 b = launch.block();
        CudaDriver.launchKernel(launch.kernel().handle(), g.x(), g.y(), g.z(), b.x(), b.y(), b.z(),
                launch.sharedMemBytes(), stream, scratch.params(launch.args()));
    }

    /** Waits for everything launched. */
    public void synchronize() {
        CudaDriver.streamSynchronize(stream);
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
