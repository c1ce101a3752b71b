package xsched.policy.pup;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import xsched.policy.support.ShareSettings;
import xsched.policy.support.SliceRotation;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Process utilization partition: like {@code up}, but the members of each device's rotation are
 * processes, not queues. On each device the processes with READY queues there take turns; during a
 * process's turn all of its queues on that device run together (they share the process's slice),
 * and the READY queues of every other process on the device are suspended. A timer ends every
 * turn. Queues that are not READY are resumed, so new work starts at once and raises an edge.
 *
 * <p>Slices: with {@code n} processes READY on a device and an average slice {@code T} (the global
 * {@code timeslice} hint, else {@link Config#timeslice_us()}), a process with share {@code s} of the
 * device's total gets {@code n × T × s} per turn (at least {@link Config#min_slice_us()}). A turn
 * that overran because the scheduler woke late is repaid from the process's next turns.
 *
 * <p>Hints read: {@code utilization} given to a process (percent), and the global {@code timeslice}.
 * The status carries each queue's effective hints only, so a process's utilization is taken as the
 * largest among its queues (which is the process hint unless a queue overrides it). Processes
 * without a utilization hint share what hinted READY processes leave of 100 %, but never less than
 * {@link Config#unhinted_min_utilization()} each, so no process starves.
 *
 * <p>Differences from upstream XSched's {@code PUP}, and why: upstream gives one process the whole
 * node at a time (here each device has its own rotation, so a process that only uses the GPU does
 * not stall the NPU); upstream banks a process's unused slice, and credits processes while they are
 * idle, up to about eleven slices, which lets a process that was idle hold the device that long
 * (here nothing is banked: the partition is work-conserving and only overruns are evened out);
 * upstream gives unhinted processes a weight of 100.
 */
@Component(service = SchedulingPolicy.class, configurationPid = ProcessUtilizationPartition.PID, property = SchedulingPolicy.NAME + "=pup")
@Designate(ocd = ProcessUtilizationPartition.Config.class)
public final class ProcessUtilizationPartition implements SchedulingPolicy.ContentionOnly {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.pup";

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: process utilization partition (pup)",
            description = "Per device, processes take turns with slices proportional to their utilization hints")
    public @interface Config {
        /** @return the average slice */
        @AttributeDefinition(name = "Timeslice (µs)",
                description = "Average slice per READY process when no global timeslice hint is given; 100…10000000")
        long timeslice_us() default 5_000;

        /** @return the floor for processes without a utilization hint */
        @AttributeDefinition(name = "Least utilization of unhinted processes (%)",
                description = "Processes without a utilization hint share what hinted READY processes leave of 100 %, but get at least this; 1…100")
        int unhinted_min_utilization() default 5;

        /** @return the shortest slice */
        @AttributeDefinition(name = "Minimum slice (µs)",
                description = "No turn is shorter than this, however small the share; 10…1000000")
        long min_slice_us() default 100;
    }

    /** @param c the configuration @return it, validated */
    static ShareSettings settingsOf(Config c) {
        return ShareSettings.of(c.timeslice_us(), c.unhinted_min_utilization(), c.min_slice_us());
    }

    private final SliceRotation rotation = new SliceRotation();
    private volatile ShareSettings settings;

    /** With default tunables (DS replaces them on activation). */
    public ProcessUtilizationPartition() {
        this(ShareSettings.DEFAULT);
    }

    ProcessUtilizationPartition(ShareSettings settings) {
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(Config config) {
        settings = settingsOf(config);
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        ShareSettings s = settings;
        long average = status.timesliceNanos() > 0 ? status.timesliceNanos() : s.timesliceNanos();
        Map<Long, Integer> utilization = new HashMap<>();
        Map<String, Set<Long>> readyPids = new TreeMap<>();
        Set<SliceRotation.Slot> ready = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            utilization.merge(q.pid(), q.hints().utilization(), Math::max);
            if (q.ready()) {
                readyPids.computeIfAbsent(q.deviceId(), d -> new TreeSet<>()).add(q.pid());
                ready.add(new SliceRotation.Slot(q.deviceId(), q.pid()));
            }
        }
        rotation.retain(ready);
        Map<String, Long> holder = new HashMap<>();
        readyPids.forEach((device, pids) -> {
            SortedMap<Long, Integer> shares = new TreeMap<>();
            pids.forEach(pid -> shares.put(pid, utilization.get(pid)));
            holder.put(device, rotation.select(device, SliceRotation.proportional(shares, average, s.unhintedMinUtilization()),
                    context.nanoTime(), s.minSliceNanos(), context));
        });
        for (QueueStatus q : status.queues()) {
            if (q.ready() && holder.get(q.deviceId()) != q.pid()) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }

    @Override
    public void reset() {
        rotation.clear();
    }
}
