package xsched.policy.testkit;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * A {@link PlacementContext} that applies nothing and remembers the layout a {@code place} call
 * asked for per device, accepting and refusing reservations as the core does: a device has the
 * partitions the test gives it ({@link #device}), none otherwise; a reservation is rounded by
 * {@link PartitionSupport#reservable(int)} and refused (false) when the device cannot make it.
 *
 * <pre>{@code
 * RecordingPlacement placement = new RecordingPlacement().device("d0", PartitionSupport.supported(8, "units", 1, 1));
 * SchedulerStatus status = new SchedulerStatusBuilder(queues).build();
 * policy.place(status, placement.of(status));
 * assertThat(placement.layouts()).containsEntry("d0", new RecordingPlacement.Layout(1, 2));
 * }</pre>
 */
public final class RecordingPlacement implements PlacementContext {
    /**
     * A device's layout as asked.
     *
     * @param reservedQueue the queue on the reserved partition, -1 for the whole device
     * @param computeUnits  the reserved partition's units after rounding, 0 for the whole device
     * @param shared        whether the other queues keep the whole device ({@link PlacementContext#reserveShared})
     */
    public record Layout(long reservedQueue, int computeUnits, boolean shared) {
        /** The whole device for every queue. */
        public static final Layout WHOLE = new Layout(-1, 0, false);

        /** A split: the others on the complement. @param reservedQueue the queue @param computeUnits its units */
        public Layout(long reservedQueue, int computeUnits) {
            this(reservedQueue, computeUnits, false);
        }
    }

    private final Map<String, PartitionSupport> devices = new HashMap<>();
    private final Map<Long, QueueStatus> queues = new HashMap<>();
    private final Map<String, Layout> layouts = new LinkedHashMap<>();

    /**
     * Gives a device partitions.
     *
     * @param deviceId a device id
     * @param support  what it can do
     * @return this
     */
    public RecordingPlacement device(String deviceId, PartitionSupport support) {
        devices.put(deviceId, support);
        return this;
    }

    /**
     * Forgets the layouts recorded so far and takes the queues of the status the policy is given
     * next (their devices and reservation hints).
     *
     * @param status the status
     * @return this
     */
    public RecordingPlacement of(SchedulerStatus status) {
        layouts.clear();
        queues.clear();
        status.queues().forEach(q -> queues.put(q.id(), q));
        return this;
    }

    /** @return the last layout per device since {@link #of}; a read-only live view */
    public Map<String, Layout> layouts() {
        return Collections.unmodifiableMap(layouts);
    }

    @Override
    public PartitionSupport partitions(String deviceId) {
        return devices.getOrDefault(deviceId, PartitionSupport.unsupported("the test gave " + deviceId + " no partitions"));
    }

    @Override
    public boolean reserve(long queueId) {
        return byHint(queueId, false);
    }

    @Override
    public boolean reserve(long queueId, int computeUnits) {
        return record(queueId, computeUnits, false);
    }

    @Override
    public boolean reserveShared(long queueId) {
        return byHint(queueId, true);
    }

    @Override
    public boolean reserveShared(long queueId, int computeUnits) {
        return record(queueId, computeUnits, true);
    }

    private boolean byHint(long queueId, boolean shared) {
        QueueStatus q = queues.get(queueId);
        if (q == null || !q.hints().reserves()) {
            return false;
        }
        QueueHints h = q.hints();
        PartitionSupport s = partitions(q.deviceId());
        return s.supported() && record(queueId, h.reservedUnits() > 0 ? h.reservedUnits() : s.unitsOf(h.reservedPercent()), shared);
    }

    private boolean record(long queueId, int computeUnits, boolean shared) {
        QueueStatus q = queues.get(queueId);
        if (q == null) {
            return false;
        }
        PartitionSupport s = partitions(q.deviceId());
        try {
            layouts.put(q.deviceId(), new Layout(queueId, s.reservable(computeUnits), shared));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void whole(String deviceId) {
        layouts.put(deviceId, Layout.WHOLE);
    }
}
