package xsched.core.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears a runtime's queues turn READY or IDLE on the thread that made them so (a submitting
 * thread, a completing one), before the scheduler does: for relaying edges to another process
 * without a detour through the scheduler thread. Only edges told to the scheduler are heard (with
 * a policy that decides nothing for a lone queue, a lone queue's edges are not told).
 *
 * <p>Called possibly while the queue's lock is held: it must return promptly, never block, never
 * call back into the queue, and take no lock that a holder may keep while calling the queue. What
 * it throws is logged and ignored.
 */
@ConsumerType
@FunctionalInterface
public interface EdgeListener {
    /**
     * @param queueId the queue
     * @param ready   whether it has work now
     */
    void edge(long queueId, boolean ready);
}
