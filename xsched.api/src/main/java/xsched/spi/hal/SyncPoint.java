package xsched.spi.hal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A marker recorded in a vendor queue after a command (a CUDA event, an OpenCL marker). It is
 * reached when every command launched before it has completed. A deactivation or interruption
 * may cancel it instead.
 */
@ConsumerType
public interface SyncPoint extends AutoCloseable {
    /** @return true once reached; never blocks */
    boolean reached();

    /**
     * Blocks until the point is reached or cancelled.
     *
     * @return true if reached, false if cancelled by a deactivation or interruption
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean await() throws InterruptedException;

    /** Returns the marker's native resources; the point must not be used afterwards. */
    @Override
    default void close() {
    }
}
