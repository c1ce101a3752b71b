package xsched.spi.policy;

/**
 * One queue as the policy sees it.
 *
 * @param id              queue id
 * @param deviceId        device id
 * @param pid             owning process
 * @param ready           whether the queue has work (pending or in flight)
 * @param suspended       whether the queue is currently suspended
 * @param readySinceNanos when it last turned READY (scheduler clock), meaningful while ready
 * @param hints           hints in force
 */
public record QueueStatus(long id, String deviceId, long pid, boolean ready, boolean suspended,
        long readySinceNanos, QueueHints hints) {
}
