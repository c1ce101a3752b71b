package xsched.backend.cuda;

/**
 * A native object made in one GPU's context: released once, and tracked by its {@link CudaGpu}
 * so that closing the GPU releases whatever the application left open.
 */
abstract class GpuResource implements AutoCloseable {
    final CudaGpu gpu;
    private final String closedMessage;
    private volatile boolean closed;

    /**
     * @param gpu           the owner
     * @param closedMessage what use after close reports, e.g. "was freed"
     */
    GpuResource(CudaGpu gpu, String closedMessage) {
        this.gpu = gpu;
        this.closedMessage = closedMessage;
    }

    /** @return the GPU whose context made it */
    public CudaGpu gpu() {
        return gpu;
    }

    /** @return whether it was released */
    public boolean closed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " " + closedMessage);
        }
    }

    /** Releases the native object; idempotent. */
    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        gpu.untrack(this);
        gpu.bind();
        release();
    }

    /** Frees the native object, with the GPU's context bound; called once. */
    abstract void release();
}
