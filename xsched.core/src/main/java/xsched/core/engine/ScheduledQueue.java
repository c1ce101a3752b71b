package xsched.core.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A queue as the scheduler engine sees it: identity, state, and the two operations a policy
 * decides. The engine calls these on the thread that runs its round; {@link #suspend()} and
 * {@link #resume()} must only request the change and return promptly. Whatever they throw is
 * caught and logged; it never stops the engine.
 */
@ConsumerType
public interface ScheduledQueue {
    /** @return the queue's id, unique among the queues open in one engine */
    long id();

    /** @return the id of the device the queue runs on */
    String deviceId();

    /** @return the process that owns the queue */
    long pid();

    /** @return the user id of the process that owns the queue; -1 when unknown */
    default long uid() {
        return -1;
    }

    /** @return whether the queue has work, pending or in flight */
    boolean ready();

    /**
     * @return the {@link System#nanoTime()} at which the queue last turned READY, or {@link
     *         Long#MIN_VALUE} when it does not know; the engine uses it, when its clock is {@link
     *         EngineClock#SYSTEM}, for a queue whose READY edge it learns late, and, kept after
     *         the queue turned IDLE, for one whose whole READY period fell between two rounds
     */
    default long readySinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * @return the {@link System#nanoTime()} at which the queue last turned IDLE, or {@link
     *         Long#MIN_VALUE} when it does not know; used as {@link #readySinceNanos()} is
     */
    default long idleSinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * @return the {@link System#nanoTime()} at which the queue's launched work last all ended while
     *         it was suspended ({@link xsched.api.XQueue#drainedSinceNanos()}), or {@link
     *         Long#MIN_VALUE} when it does not know
     */
    default long drainedSinceNanos() {
        return Long.MIN_VALUE;
    }

    /** @return whether the queue is suspended */
    boolean suspended();

    /** Asks the queue to stop launching work. */
    void suspend();

    /** Asks the queue to run again. */
    void resume();
}
