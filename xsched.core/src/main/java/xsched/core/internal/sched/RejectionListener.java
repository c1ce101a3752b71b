package xsched.core.internal.sched;

import xsched.spi.policy.SchedulingPolicy;

/**
 * Told when the scheduler rejects a policy for good (it overran its deadline, or it was offered
 * again after that). Called on a scheduler thread: implementations must only record and enqueue.
 */
@FunctionalInterface
public interface RejectionListener {
    /**
     * @param name   the policy's name
     * @param policy the policy, never called again by this engine
     * @param reason why, for users
     */
    void rejected(String name, SchedulingPolicy policy, String reason);
}
