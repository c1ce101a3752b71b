package xsched.backend.cuda;

import xsched.backend.cuda.internal.ffm.CudaDriver;

/**
 * A CUDA event (created without timing) for ordering work across queues: {@link EventRecord}
 * marks a point in one queue, {@link EventWait} makes another queue wait for it. Because XQueues
 * launch lazily, a wait only orders against a record that was already launched when the wait is;
 * await the recording command's launch (or its completion) before submitting the wait when that
 * matters.
 */
public final class CudaEvent extends GpuResource {
    private final long handle;

    CudaEvent(CudaGpu gpu, long handle) {
        super(gpu, "was destroyed");
        this.handle = handle;
    }

    /** @return the {@code CUevent} */
    public long handle() {
        return handle;
    }

    /** @return true when the work before its last record has completed (or it was never recorded) */
    public boolean query() {
        ensureOpen();
        gpu.bind();
        return CudaDriver.eventQuery(handle);
    }

    /** Blocks until the work before its last record has completed. */
    public void synchronize() {
        ensureOpen();
        gpu.bind();
        CudaDriver.eventSynchronize(handle);
    }

    @Override
    void release() {
        CudaDriver.eventDestroy(handle);
    }

    @Override
    public String toString() {
        return "CudaEvent[" + gpu.id() + " 0x" + Long.toHexString(handle) + "]";
    }
}
