package xsched.policy.edf;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
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
 * Earliest deadline first, per device. A READY queue's absolute deadline is the time it turned
 * READY plus its relative {@code deadline} hint; on each device the READY queue with the earliest
 * absolute deadline runs and every other READY queue there is suspended. Ties go to the queue that
 * has been READY longest, then to the lower id. Queues that are not READY are resumed, so new work
 * starts at once and raises an edge. On one device, EDF meets every deadline of any task set that
 * can be met at all (utilization ≤ 1, deadlines = periods), where fixed priorities may miss some.
 *
 * <p>Hints read: {@code deadline} (relative, per queue or process). Queues without one get
 * {@link Config#default_deadline_us()} when it is set, so that best-effort work is not starved
 * forever; otherwise they rank after every queue with a deadline, oldest first. Absolute deadlines
 * change only on edges, so the policy sets no timers. Keeps no state between calls.
 *
 * <p>Upstream XSched has no separate EDF; this is its {@code KEDF} with k = 1, except that it
 * works per device (upstream's k counts queues across all devices) and resumes IDLE queues
 * (upstream suspends all but the first k queues, READY or not).
 */
@Component(service = SchedulingPolicy.class, configurationPid = EarliestDeadlineFirst.PID, property = SchedulingPolicy.NAME + "=edf")
@Designate(ocd = EarliestDeadlineFirst.Config.class)
public final class EarliestDeadlineFirst implements SchedulingPolicy.ContentionOnly {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.edf";

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: earliest deadline first (edf)",
            description = "Per device, the READY queue with the earliest absolute deadline runs")
    public @interface Config {
        /** @return the relative deadline of queues without a deadline hint, 0 for none */
        @AttributeDefinition(name = "Default deadline (µs)",
                description = "Relative deadline for queues without a deadline hint; 0 ranks them after every queue with a deadline")
        long default_deadline_us() default 0;
    }

    private volatile long defaultDeadlineNanos;

    /** With default tunables (DS replaces them on activation). */
    public EarliestDeadlineFirst() {
        this(0);
    }

    EarliestDeadlineFirst(long defaultDeadlineNanos) {
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
        Comparator<QueueStatus> order = DeadlineOrder.earliestFirst(fallback);
        Map<String, QueueStatus> earliest = new HashMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                earliest.merge(q.deviceId(), q, (a, b) -> order.compare(a, b) <= 0 ? a : b);
            }
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && earliest.get(q.deviceId()).id() != q.id()) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
