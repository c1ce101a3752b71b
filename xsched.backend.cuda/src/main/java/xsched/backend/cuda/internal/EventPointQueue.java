package xsched.backend.cuda.internal;

/**
 * A queue whose sync points are {@link EventSyncPoint}s: it answers for them, with its context
 * bound and its lock held. {@link StreamQueue} (level 1) and {@link GatedStreamQueue} (level 2).
 */
interface EventPointQueue {
    /** @param point one of its points @return whether it was reached (an error counts as reached) */
    boolean query(EventSyncPoint point);

    /** @param point one of its points to wait for */
    boolean await(EventSyncPoint point);

    /** @param through commands up to this count end @param failure their error, or null */
    void retire(long through, Throwable failure);

    /** @param point a closed point whose event goes back to the pool */
    void release(EventSyncPoint point);
}
