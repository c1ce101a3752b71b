package xsched.core.internal.queue;

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
    void edge(ManagedQueue queue);

    /**
     * The queue was closed and its worker has finished.
     *
     * @param queue the queue
     */
    void closed(ManagedQueue queue);
}
