package xsched.core.internal.sched;

import xsched.spi.policy.SchedulingPolicy;

/** How the scheduler calls into a policy: directly, or under a {@link PolicyWatchdog}. */
interface PolicyCalls {
    /**
     * Runs one policy call on the calling thread.
     *
     * @param policy the policy called
     * @param name   its name, for messages
     * @param what   what it was asked, for messages ("decide", "reset", …)
     * @param body   the call
     * @return null when the call returned normally, otherwise whatever it threw
     * @throws CallAbandoned when the call overran its deadline and the scheduler went on without
     *                       this thread
     */
    Throwable call(SchedulingPolicy policy, String name, String what, Runnable body);

    /** Calls on the caller's thread with no deadline; a policy that never returns blocks it. */
    PolicyCalls DIRECT = (policy, name, what, body) -> {
        try {
            body.run();
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            Thread.interrupted(); // a policy must not leave the scheduler thread interrupted
        }
    };
}
