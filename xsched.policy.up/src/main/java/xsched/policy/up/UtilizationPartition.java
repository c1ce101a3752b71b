package xsched.policy.up;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.policy.support.PlacementRule;
import xsched.policy.support.ShareSettings;
import xsched.policy.support.SliceRotation;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Utilization partition (bandwidth partition, the XSched paper's 7:3 video-conference case): on
 * each device the READY queues take turns, one at a time, and each turn lasts a slice proportional
 * to the queue's utilization hint, so over time each queue gets that share of the device. A timer
 * ends every slice. The other READY queues of the device are suspended; queues that are not READY
 * are resumed, so new work starts at once and raises an edge.
 *
 * <p>Slices: with {@code n} READY queues on a device and an average slice {@code T} (the global
 * {@code timeslice} hint, else {@link Config#timeslice_us()}), a queue with share {@code s} of the
 * device's total gets {@code n × T × s} per turn (at least {@link Config#min_slice_us()}). A turn
 * that overran because the scheduler woke late is repaid from the queue's next slices.
 *
 * <p>Hints read: {@code utilization} (percent, per queue; a process hint applies to each of its
 * queues) and the global {@code timeslice}. Queues without a utilization hint share what the hinted
 * READY queues of the device leave of 100 %, but never less than
 * {@link Config#unhinted_min_utilization()} each, so no READY queue starves. Shares are relative:
 * 70 and 30 on their own split the device 7:3, and so do 35 and 15.
 *
 * <p>Differences from upstream XSched's {@code UP}, and why: upstream rotates one queue at a time
 * across all devices (here each device has its own rotation); upstream never runs a queue without
 * a utilization hint (here it gets the leftover share); upstream's timeslice hint is the length of
 * a whole round, so slices shrink as queues are added until they fall below the minimum slice
 * (here it is the average slice); upstream does not repay overruns.
 *
 * <p>Placement, on devices whose backend can partition them: a queue with a {@code reservation}
 * hint (the highest-priority one, if several) leaves the rotation and runs all the time on a
 * partition of its own; the other READY queues take turns on the complement as above. {@link
 * Config#placement()}: {@code dynamic} gives them the whole device while that queue is IDLE,
 * {@code static} keeps the split, {@code shared} keeps that queue on its partition and the others
 * on the whole device (its work first on its partition), {@code off} never splits (then the hinted
 * queue takes turns like any other).
 */
@Component(service = SchedulingPolicy.class, configurationPid = UtilizationPartition.PID, property = SchedulingPolicy.NAME + "=up")
@Designate(ocd = UtilizationPartition.Config.class)
public final class UtilizationPartition implements SchedulingPolicy.ContentionOnly, SchedulingPolicy.Placing {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.up";
    private static final Logger LOG = LoggerFactory.getLogger(UtilizationPartition.class);

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: utilization partition (up)",
            description = "Per device, READY queues take turns with slices proportional to their utilization hints")
    public @interface Config {
        /** @return the average slice */
        @AttributeDefinition(name = "Timeslice (µs)",
                description = "Average slice per READY queue when no global timeslice hint is given; 100…10000000")
        long timeslice_us() default 5_000;

        /** @return the floor for queues without a utilization hint */
        @AttributeDefinition(name = "Least utilization of unhinted queues (%)",
                description = "Queues without a utilization hint share what hinted READY queues leave of 100 %, but get at least this; 1…100")
        int unhinted_min_utilization() default 5;

        /** @return the shortest slice */
        @AttributeDefinition(name = "Minimum slice (µs)",
                description = "No turn is shorter than this, however small the share; 10…1000000")
        long min_slice_us() default 100;

        /** @return dynamic, static, shared or off */
        @AttributeDefinition(name = "Placement", description = "On devices that can be partitioned, a queue with a reservation hint "
                + "runs on a partition of its own: 'dynamic' (default) splits the device while that queue is READY and gives the others "
                + "the whole device while it is IDLE; 'static' keeps the split while it is IDLE; 'shared' keeps that queue on its "
                + "partition and the others on the whole device, its work first on its partition (CUDA: stream priority); "
                + "'off' never splits")
        String placement() default "dynamic";
    }

    /** @param c the configuration @return it, validated */
    static ShareSettings settingsOf(Config c) {
        return ShareSettings.of(c.timeslice_us(), c.unhinted_min_utilization(), c.min_slice_us());
    }

    private final SliceRotation rotation = new SliceRotation();
    private volatile ShareSettings settings;
    private volatile PlacementRule placement = PlacementRule.DEFAULT;
    /** The queues given a partition by the last {@link #place} call, by device; taken by the next {@link #schedule}. */
    private volatile Map<String, Long> reserved = Map.of();

    /** With default tunables (DS replaces them on activation). */
    public UtilizationPartition() {
        this(ShareSettings.DEFAULT);
    }

    UtilizationPartition(ShareSettings settings) {
        this.settings = settings;
    }

    UtilizationPartition(ShareSettings settings, PlacementRule placement) {
        this.settings = settings;
        this.placement = placement;
    }

    @Activate
    @Modified
    void configure(Config config) {
        settings = settingsOf(config);
        try {
            placement = PlacementRule.of(config.placement(), 0);
        } catch (IllegalArgumentException e) {
            LOG.error("up: {}; placement stays {}", e.getMessage(), placement.mode());
        }
    }

    @Override
    public void place(SchedulerStatus status, PlacementContext context) {
        reserved = placement.place(status, context);
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        ShareSettings s = settings;
        Map<String, Long> placed = reserved;
        reserved = Map.of();
        long average = status.timesliceNanos() > 0 ? status.timesliceNanos() : s.timesliceNanos();
        Map<String, SortedMap<Long, Integer>> byDevice = new TreeMap<>();
        Set<SliceRotation.Slot> ready = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready() && !PlacementRule.reserved(placed, q)) {
                byDevice.computeIfAbsent(q.deviceId(), d -> new TreeMap<>()).put(q.id(), q.hints().utilization());
                ready.add(new SliceRotation.Slot(q.deviceId(), q.id()));
            }
        }
        rotation.retain(ready);
        Set<Long> running = new HashSet<>();
        byDevice.forEach((device, utilization) -> running.add(rotation.select(device,
                SliceRotation.proportional(utilization, average, s.unhintedMinUtilization()), context.nanoTime(), s.minSliceNanos(), context)));
        for (QueueStatus q : status.queues()) {
            if (q.ready() && !running.contains(q.id()) && !PlacementRule.reserved(placed, q)) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }

    @Override
    public void reset() {
        rotation.clear();
        reserved = Map.of();
    }
}
