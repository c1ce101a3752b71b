package xsched.core.internal.sched;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.spi.policy.SchedulerStatus;

/**
 * The device layouts the active policy decided, as handed to the {@link DeviceLayouts}: only
 * changes are passed on. While the active policy does not place queues (or there is none, or it
 * was rejected), every device runs whole. Scheduler thread only; the notes are read from any
 * thread.
 */
final class Placements {
    private static final Logger LOG = LoggerFactory.getLogger(Placements.class);

    private final Map<String, DeviceLayout> applied = new HashMap<>();
    private final Map<Long, String> notes = new ConcurrentHashMap<>();
    private volatile DeviceLayouts layouts = DeviceLayouts.NONE;

    void layouts(DeviceLayouts target) {
        layouts = target;
    }

    PlacementDecisions begin(SchedulerStatus status) {
        return new PlacementDecisions(status, layouts);
    }

    /** A round succeeded: its layouts are passed on where they changed, its notes replace the last. */
    void apply(PlacementDecisions decisions) {
        decisions.notes().forEach((id, note) -> {
            if (!note.equals(notes.get(id))) {
                LOG.warn("queue {}: {}", id, note);
            }
        });
        notes.keySet().retainAll(decisions.notes().keySet());
        notes.putAll(decisions.notes());
        decisions.decided().forEach(this::pass);
    }

    /** Every device runs whole again. */
    void wholeEverywhere() {
        if (applied.isEmpty()) {
            return;
        }
        Map.copyOf(applied).forEach((device, layout) -> pass(device, DeviceLayout.WHOLE));
        applied.clear();
        notes.clear();
    }

    private void pass(String device, DeviceLayout layout) {
        DeviceLayout before = applied.getOrDefault(device, DeviceLayout.WHOLE);
        if (before.equals(layout)) {
            return;
        }
        if (layout.whole()) {
            applied.remove(device);
        } else {
            applied.put(device, layout);
        }
        try {
            layouts.apply(device, layout);
        } catch (Throwable t) {
            LOG.error("placing the queues of {} failed", device, t);
        }
    }

    /** @return whether every device runs whole (as far as decided) */
    boolean allWhole() {
        return applied.isEmpty();
    }

    /** A queue closed. */
    void forget(long queueId) {
        notes.remove(queueId);
    }

    /** @return why the queue is not placed as its reservation asks, or null */
    String note(long queueId) {
        return notes.get(queueId);
    }
}
