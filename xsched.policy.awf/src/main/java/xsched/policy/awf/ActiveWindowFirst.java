package xsched.policy.awf;

import java.util.HashSet;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Active window first, for desktops and AI PCs: the application whose window has the focus gets
 * the XPUs it uses. On each device where the process owning the focused window has a READY queue,
 * that process's queues run and the READY queues of every other process there are suspended; on
 * devices where it has no READY queue, everything runs. Queues that are not READY are resumed, so
 * new work starts at once and raises an edge.
 *
 * <p>Hints read: the global {@code activeWindow} (the focused process; -1 for none, and then
 * every queue runs). Sets no timers; keeps no state between calls.
 *
 * <p>Differences from upstream XSched's {@code AWF}, and why: upstream tracks one focused process
 * per display (the hint here names one process); once any queue of a focused process is READY,
 * upstream suspends every queue of every other process on every device, IDLE ones included, so a
 * background job on an XPU the foreground app does not use is stopped for nothing. Here the rule
 * applies per device and IDLE queues stay resumed.
 */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=awf")
public final class ActiveWindowFirst implements SchedulingPolicy.ContentionOnly {

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        long active = status.activeWindowPid();
        Set<String> contested = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready() && active >= 0 && q.pid() == active) {
                contested.add(q.deviceId());
            }
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && q.pid() != active && contested.contains(q.deviceId())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
