package xsched.policy.lax;

import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Laxity-based priorities (the XSched paper's modified least-laxity-first): a queue with a laxity
 * hint runs at its laxity priority for the first {@code laxity} after it turns READY, and at its
 * critical priority once that laxity has passed without it going IDLE; going IDLE and READY again
 * starts a new laxity. On each device the READY queues with the highest effective priority run and
 * every other READY queue there is suspended. Queues that are not READY are resumed, so new work
 * starts at once and raises an edge. A timer is set for the earliest laxity that will expire, so
 * the switch to the critical priority happens on time.
 *
 * <p>A latency-tolerant job (say, speech-to-text every few seconds) gets a low laxity priority and
 * a high critical one: it yields to interactive work while it has slack and preempts it once its
 * slack is used up.
 *
 * <p>Hints read: {@code laxity} (laxity, laxity priority, critical priority) and, for queues
 * without a laxity hint, {@code priority} (default 0). A laxity of 0 with either priority set makes
 * a queue critical at once.
 *
 * <p>Differences from upstream XSched's {@code LAX}, and why: upstream compares effective
 * priorities across all devices (here per device, like {@code hpf}, since a queue on another XPU
 * does not compete for this one); upstream gives queues without a laxity hint priority 0 even when
 * they have a priority hint (here the priority hint counts); upstream suspends IDLE queues below
 * the top priority (here they stay resumed).
 */
@Component(service = SchedulingPolicy.class, property = SchedulingPolicy.NAME + "=lax")
public final class LaxityPriority implements SchedulingPolicy.ContentionOnly {
    /** The last timer asked for; requests stay in force, so asking again on every run is waste. */
    private long requested = Long.MIN_VALUE;

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        long now = context.nanoTime();
        Map<String, Integer> top = new HashMap<>();
        long nextExpiry = Long.MAX_VALUE;
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                top.merge(q.deviceId(), effectivePriority(q, now), Math::max);
                long expiry = expiry(q);
                if (expiry > now && expiry < nextExpiry) {
                    nextExpiry = expiry;
                }
            }
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && effectivePriority(q, now) < top.get(q.deviceId())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
        if (nextExpiry != Long.MAX_VALUE && nextExpiry != requested) {
            context.timer(nextExpiry);
            requested = nextExpiry;
        }
    }

    @Override
    public void reset() {
        requested = Long.MIN_VALUE;
    }

    /**
     * @param q   a READY queue
     * @param now the scheduler clock
     * @return the priority it runs at now
     */
    static int effectivePriority(QueueStatus q, long now) {
        QueueHints h = q.hints();
        if (!hasLaxity(h)) {
            return h.priority();
        }
        return now < expiry(q) ? h.laxityPriority() : h.criticalPriority();
    }

    private static boolean hasLaxity(QueueHints h) {
        return h.laxityNanos() > 0 || h.laxityPriority() != 0 || h.criticalPriority() != 0;
    }

    /** @return when the queue's laxity expires, {@link Long#MAX_VALUE} if it has none */
    private static long expiry(QueueStatus q) {
        QueueHints h = q.hints();
        if (!hasLaxity(h) || q.readySinceNanos() > Long.MAX_VALUE - h.laxityNanos()) {
            return Long.MAX_VALUE;
        }
        return q.readySinceNanos() + h.laxityNanos();
    }
}
