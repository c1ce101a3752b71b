package xsched.core.embed;

import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/** A policy for tests: resumes every queue, always. */
final class ResumeEverything implements SchedulingPolicy {
    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        for (QueueStatus q : status.queues()) {
            context.resume(q.id());
        }
    }
}
