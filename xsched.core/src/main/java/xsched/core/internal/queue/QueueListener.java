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
     * The queue was closed: its launched work has ended and its hardware queue is closed, or it had
     * failed (its worker may still be waiting on hardware that does not answer).
     *
     * @param queue the queue
     */
    void closed(ScheduledQueue queue);
}
