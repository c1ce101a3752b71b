package xsched.core.internal.queue;

import xsched.core.engine.ScheduledQueue;

/**
 * Where a queue reports its state edges. Implemented by the scheduler engine in process and by
 * the daemon client across processes. Called with the queue's lock held: implementations must
 * only enqueue and return.
 */
public interface QueueListener {
    /**
     * The queue went IDLE→READY or READY→IDLE.
     *
     * @param queue the queue
     */
    void edge(ScheduledQueue queue);

    /**
     * The queue turned READY (its lock held; only count, do not block).
     *
     * @return whether its edge must be told now; false lets a queue that runs alone keep it to
     *         itself (the scheduler re-reads every queue before it decides)
     */
    default boolean turnedReady() {
        return true;
    }

    /** The queue turned IDLE, or closed while READY (its lock held; only count, do not block). */
    default void turnedIdle() {
    }

    /**
     * The queue was closed: its launched work has ended and its hardware queue is closed, or it had
     * failed (its worker may still be waiting on hardware that does not answer).
     *
     * @param queue the queue
     */
    void closed(ScheduledQueue queue);
}
