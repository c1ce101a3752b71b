package xsched.core.faults;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Highest priority first per device, as the HPF bundle does it (core's tests may not depend on the
 * policy bundles): the READY queues with the highest priority hint run, every other READY queue on
 * that device is suspended, IDLE queues are resumed. Optionally shows each status to an observer.
 */
final class PriorityPolicy implements SchedulingPolicy {
    private final Consumer<SchedulerStatus> observer;

    PriorityPolicy() {
        this(status -> { });
    }

    PriorityPolicy(Consumer<SchedulerStatus> observer) {
        this.observer = observer;
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        observer.accept(status);
        Map<String, Integer> top = new HashMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                top.merge(q.deviceId(), q.hints().priority(), Math::max);
            }
        }
        for (QueueStatus q : status.queues()) {
            Integer highest = top.get(q.deviceId());
            if (q.ready() && highest != null && q.hints().priority() < highest) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
