package xsched.core.internal.queue;

/**
 * One consistent reading of a queue, for listings.
 *
 * @param status        RUNNING, SUSPENDED, DETACHED, FAILED or CLOSED
 * @param suspended     whether suspended
 * @param submitted     commands submitted
 * @param ended         commands ended (completed, failed or dropped)
 * @param completed     commands completed without failing
 * @param pending       commands waiting to be launched
 * @param inFlight      commands launched and not known ended
 * @param blockedReason why it waits for a backend, or null
 * @param failure       why it failed, or null
 */
public record QueueView(String status, boolean suspended, long submitted, long ended, long completed, int pending,
        int inFlight, String blockedReason, String failure) {
}
