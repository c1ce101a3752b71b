package xsched.spi.policy;

/**
 * One queue as the policy sees it.
 *
 * @param id              queue id
 * @param deviceId        device id
 * @param pid             owning process (for a queue of another process, as the kernel named it to the node daemon)
 * @param uid             the owning process's user id; -1 when unknown
 * @param ready           whether the queue has work (pending or in flight)
 * @param suspended       whether the queue is currently suspended
 * @param readySinceNanos when it last turned READY (scheduler clock); kept after it turned IDLE, so
 *                        that a READY period that ended between two rounds still shows as a
 *                        new value here while {@code ready} is false
 * @param hints           hints in force
 * @param idleSinceNanos  when it last turned IDLE (scheduler clock), as the queue's owner dated it
 *                        where it can (another process's queue: when that process saw it, not when
 *                        the daemon heard of it); {@link Long#MIN_VALUE} when unknown
 * @param drainedSinceNanos when its launched work last all ended while it was suspended (scheduler
 *                        clock; {@link xsched.api.XQueue#drainedSinceNanos()}), as its owner dated
 *                        it: with the time the policy suspended it, how long it took to leave the
 *                        device to others; {@link Long#MIN_VALUE} when unknown
 */
public record QueueStatus(long id, String deviceId, long pid, long uid, boolean ready, boolean suspended,
        long readySinceNanos, QueueHints hints, long idleSinceNanos, long drainedSinceNanos) {
    /**
     * A queue whose drain is not known.
     *
     * @param id              queue id
     * @param deviceId        device id
     * @param pid             owning process
     * @param uid             the owning process's user id; -1 when unknown
     * @param ready           whether the queue has work
     * @param suspended       whether it is suspended
     * @param readySinceNanos when it last turned READY
     * @param hints           hints in force
     * @param idleSinceNanos  when it last turned IDLE; {@link Long#MIN_VALUE} when unknown
     */
    public QueueStatus(long id, String deviceId, long pid, long uid, boolean ready, boolean suspended, long readySinceNanos,
            QueueHints hints, long idleSinceNanos) {
        this(id, deviceId, pid, uid, ready, suspended, readySinceNanos, hints, idleSinceNanos, Long.MIN_VALUE);
    }

    /**
     * A queue whose IDLE edge's time is not known.
     *
     * @param id              queue id
     * @param deviceId        device id
     * @param pid             owning process
     * @param uid             the owning process's user id; -1 when unknown
     * @param ready           whether the queue has work
     * @param suspended       whether it is suspended
     * @param readySinceNanos when it last turned READY
     * @param hints           hints in force
     */
    public QueueStatus(long id, String deviceId, long pid, long uid, boolean ready, boolean suspended, long readySinceNanos,
            QueueHints hints) {
        this(id, deviceId, pid, uid, ready, suspended, readySinceNanos, hints, Long.MIN_VALUE);
    }

    /**
     * A queue whose owner's user id is unknown.
     *
     * @param id              queue id
     * @param deviceId        device id
     * @param pid             owning process
     * @param ready           whether the queue has work
     * @param suspended       whether it is suspended
     * @param readySinceNanos when it last turned READY
     * @param hints           hints in force
     */
    public QueueStatus(long id, String deviceId, long pid, boolean ready, boolean suspended, long readySinceNanos, QueueHints hints) {
        this(id, deviceId, pid, -1, ready, suspended, readySinceNanos, hints);
    }
}
