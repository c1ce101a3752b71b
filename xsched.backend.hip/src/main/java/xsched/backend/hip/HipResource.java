package xsched.backend.hip;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A native HIP object owned by the application (a module or device memory), released once by
 * {@link #close()}. Commands check that what they use is still open when they are submitted and
 * when they are launched. Closing the backend does not close these: they outlive a backend swap.
 */
public abstract sealed class HipResource implements AutoCloseable permits HipModule, HipBuffer {
    private final HipDevice device;
    private final AtomicBoolean closed = new AtomicBoolean();

    HipResource(HipDevice device) {
        this.device = device;
    }

    /** @return the device it was made on */
    public HipDevice device() {
        return device;
    }

    /** @return whether {@link #close()} was called */
    public boolean closed() {
        return closed.get();
    }

    /** @throws IllegalStateException when closed */
    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(describe() + " was closed");
        }
    }

    /** @return what it is, for messages */
    abstract String describe();

    /** Releases the native object. */
    abstract void release();

    /** Releases the native object; idempotent. Commands that use it must have completed. */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }
}
