package xsched.policy.hpf;

import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.policy.support.PlacementRule;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Highest priority first, per device (the XSched paper's fixed-priority policy). On each device,
 * the READY queues with the highest priority hint run; every other READY queue on that device is
 * suspended. IDLE queues are resumed, so that new work starts at once and triggers a new decision.
 * Reads the {@code priority} hint (default 0).
 *
 * <p>Placement, on devices whose backend can partition them: the device's latency-critical queue
 * — the highest-priority queue with a {@code reservation} hint, else (with {@link
 * Config#top_reservation_percent()} above 0) the queue whose priority is above every other's —
 * runs on a partition of its own and is never suspended for the others; the others run on the
 * complement, highest priority first among themselves. {@link Config#placement()} says what
 * happens while that queue is IDLE: {@code dynamic} gives the others the whole device back (and
 * splits it again when the queue turns READY), {@code static} keeps the split, {@code off} never
 * splits; {@code shared} keeps the queue on its partition and the others on the whole device
 * always, its work first on its partition where the device orders work by urgency. On devices that cannot be partitioned, every queue competes as without placement.
 */
@Component(service = SchedulingPolicy.class, configurationPid = HighestPriorityFirst.PID, property = SchedulingPolicy.NAME + "=hpf")
@Designate(ocd = HighestPriorityFirst.Config.class)
public final class HighestPriorityFirst implements SchedulingPolicy.ContentionOnly, SchedulingPolicy.Placing {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.hpf";
    private static final Logger LOG = LoggerFactory.getLogger(HighestPriorityFirst.class);

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: highest priority first (hpf)",
            description = "Per device, the READY queues of the highest priority run; a latency-critical queue may get a partition of its own")
    public @interface Config {
        /** @return dynamic, static, shared or off */
        @AttributeDefinition(name = "Placement", description = "On devices that can be partitioned: 'dynamic' (default) splits the "
                + "device while its latency-critical queue is READY and gives the others the whole device while it is IDLE; "
                + "'static' keeps the split while it is IDLE; 'shared' keeps that queue on its partition and the others on the "
                + "whole device, its work first on its partition (CUDA: stream priority); 'off' never splits")
        String placement() default "dynamic";

        /** @return share reserved for a device's top-priority queue without a reservation hint */
        @AttributeDefinition(name = "Reservation of the top-priority queue (%)", description = "Share of the device reserved for "
                + "the queue whose priority is above every other queue's on its device, when no queue there has a reservation "
                + "hint; 0 (default) reserves for queues with a reservation hint only; 0…99")
        int top_reservation_percent() default 0;
    }

    private volatile PlacementRule rule = PlacementRule.DEFAULT;
    /** The queues given a partition by the last {@link #place} call, by device; taken by the next {@link #schedule}. */
    private volatile Map<String, Long> reserved = Map.of();

    /** With default tunables (DS replaces them on activation). */
    public HighestPriorityFirst() {
    }

    HighestPriorityFirst(PlacementRule rule) {
        this.rule = rule;
    }

    /**
     * For an application that embeds xsched: HPF with a placement rule, as {@link Config} sets it under OSGi.
     *
     * @param placement             {@code dynamic}, {@code static}, {@code shared} or {@code off}
     * @param topReservationPercent the share reserved for the highest-priority READY queue without a
     *                              reservation hint; 0 reserves for hinted queues only; 0…99
     * @return the policy
     * @throws IllegalArgumentException for a value outside those
     */
    public static HighestPriorityFirst withPlacement(String placement, int topReservationPercent) {
        return new HighestPriorityFirst(PlacementRule.of(placement, topReservationPercent));
    }

    @Activate
    @Modified
    void configure(Config config) {
        try {
            rule = PlacementRule.of(config.placement(), config.top_reservation_percent());
        } catch (IllegalArgumentException e) {
            LOG.error("hpf: {}; placement stays {}", e.getMessage(), rule);
        }
    }

    @Override
    public void place(SchedulerStatus status, PlacementContext context) {
        reserved = rule.place(status, context);
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        Map<String, Long> placed = reserved;
        reserved = Map.of();
        Map<String, Integer> top = new HashMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready() && !PlacementRule.reserved(placed, q)) {
                top.merge(q.deviceId(), q.hints().priority(), Math::max);
            }
        }
        for (QueueStatus q : status.queues()) {
            Integer highest = top.get(q.deviceId());
            if (q.ready() && !PlacementRule.reserved(placed, q) && highest != null && q.hints().priority() < highest) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }

    @Override
    public void reset() {
        reserved = Map.of();
    }
}
