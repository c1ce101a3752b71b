package xsched.core.internal.sched;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * What one {@code place} call decided: the last word per device wins. A reservation the device
 * cannot make is refused here, with a note for the queue saying why; nothing reaches the devices
 * until the round succeeds.
 */
final class PlacementDecisions implements PlacementContext {
    private final Map<Long, QueueStatus> queues = new HashMap<>();
    private final DeviceLayouts layouts;
    private final Map<String, PartitionSupport> support = new HashMap<>();
    private final Map<String, DeviceLayout> decided = new LinkedHashMap<>();
    private final Map<Long, String> notes = new HashMap<>();

    PlacementDecisions(SchedulerStatus status, DeviceLayouts layouts) {
        status.queues().forEach(q -> queues.put(q.id(), q));
        this.layouts = layouts;
    }

    @Override
    public PartitionSupport partitions(String deviceId) {
        if (deviceId == null) {
            return PartitionSupport.unsupported("no device named");
        }
        return support.computeIfAbsent(deviceId, layouts::partitions);
    }

    @Override
    public boolean reserve(long queueId) {
        return reserve(queueId, false);
    }

    @Override
    public boolean reserve(long queueId, int computeUnits) {
        QueueStatus q = queues.get(queueId);
        return q != null && reserve(q, computeUnits, false);
    }

    @Override
    public boolean reserveShared(long queueId) {
        return reserve(queueId, true);
    }

    @Override
    public boolean reserveShared(long queueId, int computeUnits) {
        QueueStatus q = queues.get(queueId);
        return q != null && reserve(q, computeUnits, true);
    }

    private boolean reserve(long queueId, boolean shared) {
        QueueStatus q = queues.get(queueId);
        if (q == null) {
            return false;
        }
        QueueHints hints = q.hints();
        if (!hints.reserves()) {
            notes.put(queueId, "the policy reserved a partition by its hint, but it has no reservation hint");
            return false;
        }
        if (hints.reservedUnits() > 0) {
            return reserve(q, hints.reservedUnits(), shared);
        }
        PartitionSupport s = partitions(q.deviceId());
        if (!s.supported()) {
            return refuse(q, s);
        }
        return reserve(q, s.unitsOf(hints.reservedPercent()), shared);
    }

    private boolean reserve(QueueStatus q, int computeUnits, boolean shared) {
        PartitionSupport s = partitions(q.deviceId());
        if (!s.supported()) {
            return refuse(q, s);
        }
        try {
            decided.put(q.deviceId(), new DeviceLayout(q.id(), s.reservable(computeUnits), shared));
        } catch (IllegalArgumentException e) {
            notes.put(q.id(), "on " + q.deviceId() + ": " + e.getMessage());
            return false;
        }
        notes.remove(q.id());
        return true;
    }

    private boolean refuse(QueueStatus q, PartitionSupport s) {
        notes.put(q.id(), "no partition reserved: " + q.deviceId() + " has no partitions (" + s.unsupportedReason() + ")");
        return false;
    }

    @Override
    public void whole(String deviceId) {
        if (deviceId != null) {
            decided.put(deviceId, DeviceLayout.WHOLE);
        }
    }

    Map<String, DeviceLayout> decided() {
        return decided;
    }

    Map<Long, String> notes() {
        return notes;
    }
}
