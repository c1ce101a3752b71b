package xsched.policy.kedf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import xsched.policy.support.DeadlineOrder;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * k-way earliest deadline first, per device: for XPUs that run several queues side by side (a GPU
 * with enough SMs for k kernels at once), the k READY queues with the earliest absolute deadlines
 * run on each device and every other READY queue there is suspended. A READY queue's absolute
 * deadline is the time it turned READY plus its relative {@code deadline} hint; ties go to the
 * queue that has been READY longest, then to the lower id. Queues that are not READY are resumed,
 * so new work starts at once and raises an edge.
 *
 * <p>Hints read: {@code deadline} (relative, per queue or process) and the global {@code k}
 * (default 1, which is plain EDF). Queues without a deadline get {@link Config#default_deadline_us()}
 * when it is set; otherwise they rank after every queue with a deadline, oldest first. Absolute
 * deadlines change only on edges, so the policy sets no timers. Keeps no state between calls.
 *
 * <p>Differences from upstream XSched's {@code KEDF}, and why: upstream picks k queues across all
 * devices together, so with k = 1 a queue on one XPU suspends the queues of every other XPU; here
 * k applies per device. Upstream suspends every queue past the first k, READY or not; here IDLE
 * queues stay resumed so that their next submission raises an edge at once.
 */
@Component(service = SchedulingPolicy.class, configurationPid = KEarliestDeadlineFirst.PID, property = SchedulingPolicy.NAME + "=kedf")
@Designate(ocd = KEarliestDeadlineFirst.Config.class)
public final class KEarliestDeadlineFirst implements SchedulingPolicy.ContentionOnly {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.kedf";

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: k-way earliest deadline first (kedf)",
            description = "Per device, the k READY queues with the earliest absolute deadlines run (k is a global hint)")
    public @interface Config {
        /** @return the relative deadline of queues without a deadline hint, 0 for none */
        @AttributeDefinition(name = "Default deadline (µs)",
                description = "Relative deadline for queues without a deadline hint; 0 ranks them after every queue with a deadline")
        long default_deadline_us() default 0;
    }

    private volatile long defaultDeadlineNanos;

    /** With default tunables (DS replaces them on activation). */
    public KEarliestDeadlineFirst() {
        this(0);
    }

    KEarliestDeadlineFirst(long defaultDeadlineNanos) {
        this.defaultDeadlineNanos = defaultDeadlineNanos;
    }

    @Activate
    @Modified
    void configure(Config config) {
        defaultDeadlineNanos = Math.max(0, config.default_deadline_us()) * 1_000;
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        long fallback = defaultDeadlineNanos;
        int k = Math.max(1, status.k());
        Comparator<QueueStatus> order = DeadlineOrder.earliestFirst(fallback);
        Map<String, List<QueueStatus>> byDevice = new TreeMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                byDevice.computeIfAbsent(q.deviceId(), d -> new ArrayList<>()).add(q);
            }
        }
        Set<Long> running = new HashSet<>();
        for (List<QueueStatus> ready : byDevice.values()) {
            ready.sort(order);
            ready.stream().limit(k).forEach(q -> running.add(q.id()));
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && !running.contains(q.id())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
