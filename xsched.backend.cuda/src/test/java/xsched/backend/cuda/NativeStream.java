package xsched.backend.cuda;

import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;

/**
 * A bare CUDA stream driven directly, without xsched: the baseline of the benchmarks. Launches
 * use the same driver binding and the same argument packing as the backend's queue, and bind
 * the context once (a native application binds it once per thread).
 */
public final class NativeStream implements AutoCloseable {
    private final CudaGpu gpu;
    private final long stream;
    private final long[] events = new long[2];
    private final LaunchScratch scratch = new LaunchScratch();
    private int recorded;

    /** @param gpu the GPU @param priority stream priority, lower is more urgent */
    public NativeStream(CudaGpu gpu, int priority) {
        this.gpu = gpu;
        gpu.bind();
        stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, priority);
        events[0] = CudaDriver.eventCreate(gpu.eventFlags());
        events[1] = CudaDriver.eventCreate(gpu.eventFlags());
    }

    /** @param gpu the GPU @return {least, greatest} stream priority; greatest is the most urgent */
    public static int[] priorityRange(CudaGpu gpu) {
        gpu.bind();
        return CudaDriver.streamPriorityRange();
    }

    /** Binds the GPU's context on the calling thread; call once per thread before launching. */
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

    /** Records an event after everything launched and waits for it (how xsched waits for a command). */
    public void recordAndSynchronize() {
        CudaDriver.eventRecord(events[0], stream);
        CudaDriver.eventSynchronize(events[0]);
    }

    /** Records an event and waits for the one recorded before it: keeps two batches in flight. */
    public void recordAndWaitPrevious() {
        CudaDriver.eventRecord(events[recorded & 1], stream);
        recorded++;
        if (recorded > 1) {
            CudaDriver.eventSynchronize(events[recorded & 1]);
        }
    }

    @Override
    public void close() {
        gpu.bind();
        CudaDriver.streamSynchronize(stream);
        CudaDriver.eventDestroy(events[0]);
        CudaDriver.eventDestroy(events[1]);
        CudaDriver.streamDestroy(stream);
        scratch.close();
    }
}
