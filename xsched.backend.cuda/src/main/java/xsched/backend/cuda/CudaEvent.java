package xsched.backend.cuda;

import xsched.backend.cuda.internal.ffm.CudaDriver;

/**
 * A CUDA event (created without timing) for ordering work across queues: {@link EventRecord}
 * marks a point in one queue, {@link EventWait} makes another queue wait for it. Because XQueues
 * launch lazily, a wait only orders against a record that was already launched when the wait is;
 * await the recording command's launch (or its completion) before submitting the wait when that
 * matters.
 */
public final class CudaEvent implements AutoCloseable {
    private final CudaGpu gpu;
    private final long handle;
    private volatile boolean closed;

    CudaEvent(CudaGpu gpu, long handle) {
        this.gpu = gpu;
        this.handle = handle;
    }

    /** @return the GPU it belongs to */
    public CudaGpu gpu() {
        return gpu;
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

    /** @return whether it was destroyed */
    public boolean closed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("event " + this + " was destroyed");
        }
    }

    /** Destroys the event; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        gpu.untrack(this);
        gpu.bind();
        CudaDriver.eventDestroy(handle);
    }

    @Override
    public String toString() {
        return "CudaEvent[" + gpu.id() + " 0x" + Long.toHexString(handle) + "]";
    }
}
