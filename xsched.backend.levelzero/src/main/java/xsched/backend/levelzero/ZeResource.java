package xsched.backend.levelzero;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A native Level Zero object owned by the application (a module, kernel or buffer), released once
 * by {@link #close()}. It keeps its device's context alive until then. Commands check that what
 * they use is still open when they are submitted and when they are launched.
 */
public abstract sealed class ZeResource implements AutoCloseable permits ZeModule, ZeKernel, ZeBuffer {
    private final ZeDevice device;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Counts the resource on its device, whose context then outlives the platform until {@link #close()}. */
    ZeResource(ZeDevice device) {
        this.device = device;
        device.acquire();
    }

    /** @return the device it was made on */
    public ZeDevice device() {
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
            try {
                if (device.context() != 0) {
                    release();
                }
            } finally {
                device.release();
            }
        }
    }
}
