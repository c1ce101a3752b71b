package xsched.policy.hhpf;

import org.osgi.service.component.annotations.Component;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Heterogeneous highest priority first: one priority order across every device, for work that
 * moves between XPUs (a pipeline that runs on a GPU, then an NPU, then a DLA). The highest priority
 * among all READY queues, on any device, is the bar: READY queues at that priority run, and every
 * READY queue below it is suspended on <em>every</em> device, even where that leaves a device
 * idle, so that lower-priority work cannot occupy the next XPU the high-priority pipeline needs
 * (nor the memory bandwidth and power budget those devices share). Queues that are not READY are
 * resumed, so new work starts at once and raises an edge.
 *
 * <p>Reads the {@code priority} hint (default 0). Sets no timers; decisions change only on edges
 * and hints. Keeps no state between calls.
 *
 * <p>Upstream XSched's {@code HHPF} also suspends IDLE queues below the bar; here they stay
 * resumed (see above), which changes nothing while they are IDLE.
 */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=hhpf")
public final class HeterogeneousHighestPriorityFirst implements SchedulingPolicy.ContentionOnly {

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        int highest = Integer.MIN_VALUE;
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                highest = Math.max(highest, q.hints().priority());
            }
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && q.hints().priority() < highest) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
