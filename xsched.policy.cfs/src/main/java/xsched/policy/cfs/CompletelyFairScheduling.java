package xsched.policy.cfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Weighted fair share by virtual runtime, after Linux CFS. Each queue's virtual runtime grows by
 * the time it held the device divided by its weight; on each device the READY queue with the least
 * virtual runtime runs, one at a time, and every other READY queue there is suspended. Over time
 * each READY queue gets device time in proportion to its weight. Queues that are not READY are
 * resumed, so new work starts at once and raises an edge.
 *
 * <p>The holder keeps the device for at least {@link Config#min_granularity_us()}; after that, a
 * timer ends its turn when its virtual runtime would pass the next queue's. A queue that turns READY
 * (or is new) starts at the device's floor, the least virtual runtime among the queues that stayed
 * READY, so time spent IDLE is not banked: a queue that slept for a minute does not then hold the
 * device for a minute.
 *
 * <p>Weights (hints read): {@code priority} p gives {@code 1024 × r^p} with r =
 * {@link Config#priority_weight_ratio()} (upstream's 1.2, close to Linux's 1.25 per nice level);
 * a {@code utilization} hint u multiplies that by u / 100. Weights are held within 1/100 … 100 × 1024
 * so that every READY queue runs within a bounded time.
 *
 * <p>Differences from upstream XSched's {@code CFS}, and why: upstream keeps a waking queue's old
 * virtual runtime, so a queue that was IDLE for long then starves the others for as long (here it
 * starts at the floor, as in Linux); upstream's weights are unbounded (1.2^255 apart) so a
 * low-priority queue can starve for ever (here bounded); upstream re-runs every 1 ms whatever
 * happens (here a timer only at the next due switch); upstream reads utilization not at all.
 */
@Component(service = SchedulingPolicy.class, configurationPid = CompletelyFairScheduling.PID, property = SchedulingPolicy.NAME + "=cfs")
@Designate(ocd = CompletelyFairScheduling.Config.class)
public final class CompletelyFairScheduling implements SchedulingPolicy {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.cfs";

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: completely fair scheduling (cfs)",
            description = "Per device, the READY queue with the least weighted virtual runtime runs")
    public @interface Config {
        /** @return the least time a queue holds the device once it got it */
        @AttributeDefinition(name = "Minimum granularity (µs)",
                description = "A queue keeps the device at least this long once it got it; 100…1000000")
        long min_granularity_us() default 1_000;

        /** @return the weight ratio between adjacent priorities */
        @AttributeDefinition(name = "Weight ratio per priority step",
                description = "A queue of priority p weighs 1024 × ratio^p; 1.0…2.0")
        double priority_weight_ratio() default 1.2;
    }

    /** Validated tunables. */
    record Settings(long minGranularityNanos, double priorityWeightRatio) {
        static final Settings DEFAULT = new Settings(1_000_000, 1.2);

        static Settings of(Config c) {
            return new Settings(Math.min(1_000_000, Math.max(100, c.min_granularity_us())) * 1_000,
                    Math.min(2.0, Math.max(1.0, c.priority_weight_ratio())));
        }
    }

    private final VirtualRuntimes runtimes = new VirtualRuntimes();
    private volatile Settings settings;

    /** With default tunables (DS replaces them on activation). */
    public CompletelyFairScheduling() {
        this(Settings.DEFAULT);
    }

    CompletelyFairScheduling(Settings settings) {
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(Config config) {
        settings = Settings.of(config);
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        Settings s = settings;
        long now = context.nanoTime();
        Map<Long, QueueHints> hints = new HashMap<>();
        Map<String, List<Long>> readyByDevice = new LinkedHashMap<>();
        Set<Long> ready = new HashSet<>();
        Set<String> devices = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            hints.put(q.id(), q.hints());
            devices.add(q.deviceId());
            if (q.ready()) {
                readyByDevice.computeIfAbsent(q.deviceId(), d -> new ArrayList<>()).add(q.id());
                ready.add(q.id());
            }
        }
        runtimes.charge(now, id -> hints.containsKey(id) ? weight(hints.get(id), s.priorityWeightRatio()) : 0);
        runtimes.retain(hints.keySet(), ready, devices);
        Set<Long> holders = new HashSet<>();
        for (String device : devices) {
            List<Long> queues = readyByDevice.getOrDefault(device, List.of());
            runtimes.place(device, queues);
            if (queues.isEmpty()) {
                runtimes.release(device);
            } else {
                holders.add(pick(device, queues, hints, now, s, context));
            }
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && !holders.contains(q.id())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }

    private long pick(String device, List<Long> queues, Map<Long, QueueHints> hints, long now, Settings s, PolicyContext context) {
        long holder = runtimes.holder(device);
        if (queues.contains(holder) && now - runtimes.heldSince(device) < s.minGranularityNanos()) {
            askTimer(device, runtimes.heldSince(device) + s.minGranularityNanos(), now, context);
            return holder;
        }
        long best = -1;
        for (long id : queues) {
            // on a tie the device changes hands, so equal weights alternate
            if (best < 0 || runtimes.vruntime(id) < runtimes.vruntime(best)
                    || runtimes.vruntime(id) == runtimes.vruntime(best) && best == holder) {
                best = id;
            }
        }
        runtimes.hold(device, best, now);
        double next = Double.MAX_VALUE;
        for (long id : queues) {
            if (id != best) {
                next = Math.min(next, runtimes.vruntime(id));
            }
        }
        if (next != Double.MAX_VALUE) {
            double catchUp = (next - runtimes.vruntime(best)) * weight(hints.get(best), s.priorityWeightRatio()) / VirtualRuntimes.BASE_WEIGHT;
            askTimer(device, now + Math.max(s.minGranularityNanos(), (long) Math.ceil(catchUp)), now, context);
        }
        return best;
    }

    private void askTimer(String device, long at, long now, PolicyContext context) {
        if (runtimes.wantsTimer(device, at, now)) {
            context.timer(at);
        }
    }

    /**
     * @param hints a queue's hints
     * @param ratio weight ratio per priority step
     * @return its weight, within 1/100 … 100 × {@link VirtualRuntimes#BASE_WEIGHT}
     */
    static double weight(QueueHints hints, double ratio) {
        double w = VirtualRuntimes.BASE_WEIGHT * Math.pow(ratio, hints.priority());
        if (hints.utilization() > 0) {
            w *= hints.utilization() / 100.0;
        }
        return Math.min(VirtualRuntimes.BASE_WEIGHT * 100, Math.max(VirtualRuntimes.BASE_WEIGHT / 100, w));
    }

    @Override
    public void reset() {
        runtimes.clear();
    }
}
