package xsched.backend.levelzero.internal.queue;

/**
 * Where a hardware queue gets the events it places as sync points, and how it asks about them.
 * Thread-safe: a point may be queried, awaited or given back from any thread while the queue launches.
 */
public interface EventSource extends AutoCloseable {
    /** @return an unsignalled event */
    long take();

    /** @return {@code zeEventQueryStatus}: success when signalled, {@code NOT_READY}, or an error */
    int status(long event);

    /** @return {@code zeEventHostSynchronize} without a timeout: success, or an error */
    int await(long event);

    /** Takes an event back; it is reused once it has been signalled (an unsignalled one may still be signalled later). */
    void recycle(long event);

    /** Destroys every event; none may be in use by the device. */
    @Override
    void close();
}
