package xsched.backend.cuda;

/**
 * An application's native object made in one GPU's context: released once, and tracked by its
 * {@link CudaGpu}, so that closing the GPU releases whatever the application left open, and so
 * that a retired GPU keeps its primary context retained until the last of them is closed.
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

    /**
     * Releases the native object; idempotent. A second close, e.g. the platform's while the
     * application's is still freeing the object, waits for the first, so the context is never
     * released under a free in progress. (Lock order: this object, then the GPU's retain.)
     */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gpu.bind();
            release();
        } finally {
            gpu.untrack(this);
        }
    }

    /**
     * Frees the native object, with the GPU's context bound; called once, before the GPU forgets
     * it (the last resource of a retired GPU lets go of the context).
     */
    abstract void release();
}
