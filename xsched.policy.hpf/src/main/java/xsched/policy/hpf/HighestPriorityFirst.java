package xsched.policy.hpf;

import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Highest priority first, per device (the XSched paper's fixed-priority policy). On each device,
 * the READY queues with the highest priority hint run; every other READY queue on that device is
 * suspended. IDLE queues are resumed, so that new work starts at once and triggers a new decision.
 * Reads the {@code priority} hint (default 0).
 */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=hpf")
public final class HighestPriorityFirst implements SchedulingPolicy.ContentionOnly {

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
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
