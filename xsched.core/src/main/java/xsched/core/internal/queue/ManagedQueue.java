package xsched.core.internal.queue;

/**
 * The side of a queue the scheduler engine sees: identity, state, and the two operations a
 * policy decides. A remote queue (daemon mode) implements this as a proxy.
 */
public interface ManagedQueue {
    /** @return queue id */
    long id();

    /** @return device id */
    String deviceId();

    /** @return owning process */
    long pid();

    /** @return whether it has work */
    boolean ready();

    /** @return whether it is suspended */
    boolean suspended();

    /** Stops it. */
    void suspend();

    /** Lets it run. */
    void resume();
}
