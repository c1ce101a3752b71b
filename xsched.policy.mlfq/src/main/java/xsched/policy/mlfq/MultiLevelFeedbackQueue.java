package xsched.policy.mlfq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Multi-level feedback queue: favours queues that use the device in short bursts over queues that
 * keep it busy, without being told which is which. Every queue starts on the top level. On each
 * device one READY queue runs at a time: the one on the highest level, first in line there. A
 * queue's place in line changes only when it uses up a quantum, so the queue that holds the device
 * keeps it until then unless a queue ahead of it turns READY. A queue that keeps
 * running for its level's quantum (level l: base × 2^l) within one burst (one READY period) drops
 * one level and goes to the back of the line; on the bottom level it only goes to the back, so
 * bottom queues take turns. A queue that goes IDLE first keeps its level, and its next burst starts
 * with a full quantum: a level says how long a queue's bursts are. Every
 * {@link Config#boost_period_ms()} all queues go back to the top and line up afresh, so no READY
 * queue starves. Timers end quanta and trigger boosts. Queues that are not READY are resumed, so
 * new work starts at once and raises an edge.
 *
 * <p>Hints read: the global {@code timeslice}, which replaces {@link Config#base_quantum_us()}.
 *
 * <p>Differences from upstream XSched's {@code MLFQ}, and why: upstream promotes each queue one
 * level at a time by a "soft priority recovery" rule (about 100 ms of not waiting) and re-runs every
 * 5 ms whatever happens; here, as in the classic design, a periodic boost bounds how long a READY
 * queue can wait, and timers fire only at quantum ends and boosts. Upstream adds up a queue's
 * running time across bursts and relies on its recovery rule to lift interactive queues again;
 * with only a periodic boost that would sink a queue of short frames to the bottom between boosts,
 * so here the quantum counts per burst. Levels, base quantum and the quantum doubling per level
 * match upstream's defaults.
 */
@Component(service = SchedulingPolicy.class, configurationPid = MultiLevelFeedbackQueue.PID, property = SchedulingPolicy.NAME + "=mlfq")
@Designate(ocd = MultiLevelFeedbackQueue.Config.class)
public final class MultiLevelFeedbackQueue implements SchedulingPolicy {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.mlfq";

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: multi-level feedback queue (mlfq)",
            description = "Queues drop a level each time they use up their level's quantum; all return to the top periodically")
    public @interface Config {
        /** @return how many levels */
        @AttributeDefinition(name = "Levels", description = "Number of levels; 1…16")
        int levels() default 4;

        /** @return the top level's quantum */
        @AttributeDefinition(name = "Base quantum (µs)",
                description = "Quantum of the top level when no global timeslice hint is given; each level below doubles it; 100…10000000")
        long base_quantum_us() default 10_000;

        /** @return the boost period */
        @AttributeDefinition(name = "Boost period (ms)", description = "Every queue returns to the top level this often; 10…600000")
        long boost_period_ms() default 1_000;
    }

    /** Validated tunables. */
    record Settings(int levels, long baseQuantumNanos, long boostPeriodNanos) {
        static final Settings DEFAULT = new Settings(4, 10_000_000, 1_000_000_000);

        static Settings of(Config c) {
            return new Settings(Math.min(16, Math.max(1, c.levels())),
                    Math.min(10_000_000, Math.max(100, c.base_quantum_us())) * 1_000,
                    Math.min(600_000, Math.max(10, c.boost_period_ms())) * 1_000_000);
        }
    }

    private final FeedbackLevels levels = new FeedbackLevels();
    private final Map<String, Long> holders = new HashMap<>();
    private final TreeSet<Long> timers = new TreeSet<>();
    private long lastNanos = Long.MIN_VALUE;
    private long nextBoost = Long.MIN_VALUE;
    private volatile Settings settings;

    /** With default tunables (DS replaces them on activation). */
    public MultiLevelFeedbackQueue() {
        this(Settings.DEFAULT);
    }

    MultiLevelFeedbackQueue(Settings settings) {
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
        long base = status.timesliceNanos() > 0 ? status.timesliceNanos() : s.baseQuantumNanos();
        IntToLongFunction quantum = level -> base << Math.min(level, 40);
        Set<Long> present = new LinkedHashSet<>();
        Map<String, List<Long>> readyByDevice = new TreeMap<>();
        for (QueueStatus q : status.queues()) {
            present.add(q.id());
            if (q.ready()) {
                readyByDevice.computeIfAbsent(q.deviceId(), d -> new ArrayList<>()).add(q.id());
            }
        }
        levels.retain(present);
        if (lastNanos != Long.MIN_VALUE) {
            holders.values().forEach(id -> levels.charge(id, now - lastNanos, quantum, s.levels() - 1));
        }
        lastNanos = now;
        status.queues().stream().filter(q -> !q.ready()).forEach(q -> levels.idle(q.id()));
        if (nextBoost == Long.MIN_VALUE) {
            nextBoost = now + s.boostPeriodNanos();
        } else if (now >= nextBoost) {
            levels.boost();
            nextBoost = now + s.boostPeriodNanos();
        }
        holders.keySet().retainAll(readyByDevice.keySet());
        timers.headSet(now, true).clear();
        boolean belowTop = false;
        for (var device : readyByDevice.entrySet()) {
            long holder = pick(device.getKey(), device.getValue());
            askTimer(now + levels.left(holder, quantum), context);
            for (long id : device.getValue()) {
                belowTop |= levels.level(id) > 0;
            }
        }
        if (belowTop) {
            askTimer(nextBoost, context);
        }
        for (QueueStatus q : status.queues()) {
            if (q.ready() && holders.get(q.deviceId()) != q.id()) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }

    private long pick(String device, List<Long> ready) {
        long first = ready.stream().min(levels.order()).orElseThrow();
        holders.put(device, first);
        return first;
    }

    private void askTimer(long at, PolicyContext context) {
        if (timers.add(at)) {
            context.timer(at);
        }
    }

    @Override
    public void reset() {
        levels.clear();
        holders.clear();
        timers.clear();
        lastNanos = Long.MIN_VALUE;
        nextBoost = Long.MIN_VALUE;
    }
}
