package xsched.backend.fpga;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A native OpenCL object owned by the application (a program, kernel or buffer), released once by
 * {@link #close()}. Commands check that what they use is still open when they are submitted and
 * when they are launched.
 */
public abstract sealed class OpenClResource implements AutoCloseable permits OpenClProgram, OpenClKernel, OpenClBuffer {
    private final OpenClDevice device;
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenClResource(OpenClDevice device) {
        this.device = device;
    }

    /** @return the device it was made on */
    public OpenClDevice device() {
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
