package xsched.core.embed;

import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The policy behind {@link EmbeddedXsched.Builder#manualScheduling()}: it decides nothing, and the
 * engine leaves every queue a policy does not decide as it is, so only the application suspends
 * and resumes queues. Being a policy (rather than no policy) matters: with no policy at all the
 * engine resumes every queue.
 */
final class ManualScheduling implements SchedulingPolicy.ContentionOnly {
    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
    }
}
