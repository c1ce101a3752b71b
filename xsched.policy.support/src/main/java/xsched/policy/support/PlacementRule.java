package xsched.policy.support;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * For placing policies (hpf, up): which queue of a device is latency-critical and gets a partition
 * of its own: the one with the
 * highest priority among those with a reservation hint (the first opened on a tie), else, when
 * {@code topPercent} is above 0, the queue whose priority is above every other queue's. In {@link
 * Mode#DYNAMIC} only READY queues count, so the device runs whole while that queue is IDLE; in
 * {@link Mode#STATIC} IDLE queues count too, so the split stays; in {@link Mode#SHARED} the split
 * stays too, but the others keep the whole device and yield the reserved units to the queue as
 * the device orders work by urgency ({@link PlacementContext#reserveShared}).
 *
 * <p>Shared by the hpf and up policies; bnd copies this package privately into each of them.
 *
 * @param mode       dynamic, static, shared or off
 * @param topPercent share reserved for the top-priority queue without a hint, 0 for none
 */
public record PlacementRule(Mode mode, int topPercent) {
    /** What happens while the latency-critical queue is IDLE. */
    public enum Mode {
        /** Only a READY queue is latency-critical: the device runs whole while it is IDLE. */
        DYNAMIC,
        /** An IDLE queue is too: the split stays. */
        STATIC,
        /**
         * The queue keeps its partition, READY or IDLE, and the others keep the whole device: its
         * work goes first on its partition, theirs fills what it leaves free. Nothing moves.
         */
        SHARED,
        /** Never split. */
        OFF
    }

    /** Dynamic, hinted queues only. */
    public static final PlacementRule DEFAULT = new PlacementRule(Mode.DYNAMIC, 0);

    /** Checks the share. */
    public PlacementRule {
        if (topPercent < 0 || topPercent > 99) {
            throw new IllegalArgumentException("the top-priority queue's reservation must be 0…99 %, not " + topPercent);
        }
    }

    /**
     * @param mode       "dynamic", "static", "shared" or "off", in any case
     * @param topPercent 0…99
     * @return the rule
     * @throws IllegalArgumentException with a usable message for anything else
     */
    public static PlacementRule of(String mode, int topPercent) {
        Mode m;
        try {
            m = Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("placement must be dynamic, static, shared or off, not '" + mode + "'");
        }
        return new PlacementRule(m, topPercent);
    }

    /**
     * Decides every device's layout: the latency-critical queue on a partition of its own, or the
     * whole device for all.
     *
     * @param status  the status the policy was given
     * @param context where the layouts go
     * @return the queue given a partition, by device, where the context accepted it
     */
    public Map<String, Long> place(SchedulerStatus status, PlacementContext context) {
        Map<String, List<QueueStatus>> byDevice = new LinkedHashMap<>();
        status.queues().forEach(q -> byDevice.computeIfAbsent(q.deviceId(), d -> new java.util.ArrayList<>()).add(q));
        Map<String, Long> placed = new HashMap<>();
        byDevice.forEach((device, queues) -> {
            QueueStatus critical = mode == Mode.OFF ? null : critical(queues);
            if (critical != null && reserve(critical, context)) {
                placed.put(device, critical.id());
            } else {
                context.whole(device);
            }
        });
        return placed;
    }

    private boolean reserve(QueueStatus q, PlacementContext context) {
        boolean shared = mode == Mode.SHARED;
        if (q.hints().reserves()) {
            return shared ? context.reserveShared(q.id()) : context.reserve(q.id());
        }
        PartitionSupport s = context.partitions(q.deviceId());
        if (!s.supported()) {
            return false;
        }
        int units = s.unitsOf(topPercent);
        return shared ? context.reserveShared(q.id(), units) : context.reserve(q.id(), units);
    }

    private QueueStatus critical(List<QueueStatus> queues) {
        QueueStatus hinted = null;
        QueueStatus top = null;
        boolean topAlone = false;
        for (QueueStatus q : queues) {
            if (mode == Mode.DYNAMIC && !q.ready()) {
                continue;
            }
            int p = q.hints().priority();
            if (q.hints().reserves() && (hinted == null || p > hinted.hints().priority())) {
                hinted = q;
            }
            if (top == null || p > top.hints().priority()) {
                top = q;
                topAlone = true;
            } else if (p == top.hints().priority()) {
                topAlone = false;
            }
        }
        if (hinted != null) {
            return hinted;
        }
        return topPercent > 0 && topAlone ? top : null;
    }

    /**
     * @param placed the result of {@link #place}
     * @param q      a queue
     * @return whether the queue was given a partition of its own
     */
    public static boolean reserved(Map<String, Long> placed, QueueStatus q) {
        Long id = placed.get(q.deviceId());
        return id != null && id == q.id();
    }
}
