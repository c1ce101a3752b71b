package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Hint;
import xsched.api.XpuDevice;
import xsched.core.internal.queue.ProgressiveQueue;
import xsched.core.internal.sched.DeviceLayout;
import xsched.core.internal.sched.DeviceLayouts;
import xsched.spi.hal.Backend;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.PartitionSplit;
import xsched.spi.hal.PartitionSupport;

/**
 * Carries out the placing policy's device layouts, on a thread of its own so the scheduler thread
 * never waits on a backend: splits a device through its {@link Backend.Partitioned} backend, asks
 * each of this process's queues on it to move (the reserved queue to the reserved partition, the
 * others to the complement, or to the whole device when the reservation is shared; or all to the
 * whole device), waits until they have, and closes splits
 * no queue runs on any more. A queue opened on a split device starts on the whole device and moves
 * at its first command boundary. Queues of other processes are never moved.
 */
final class PartitionPlacer implements DeviceLayouts, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionPlacer.class);
    private static final long MOVE_WAIT_MS = 30_000;

    /** A device's split in use and those waiting for their last queue to move off. Placer thread only. */
    private static final class Splits {
        Backend backend;
        PartitionSplit current;
        int units;
        final List<PartitionSplit> retired = new ArrayList<>();
    }

    private final BackendRegistry backends;
    private final Map<Long, ProgressiveQueue> queues;
    private final Map<String, DeviceLayout> wanted = new ConcurrentHashMap<>();
    private final Map<String, PartitionSupport> support = new ConcurrentHashMap<>();
    private final Map<Long, String> notes = new ConcurrentHashMap<>();
    private final Map<String, Splits> splits = new HashMap<>();
    /** The devices in {@link #splits}, for other threads. */
    private final java.util.Set<String> splitDevices = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            task -> Thread.ofPlatform().daemon().name("xsched-placement").unstarted(task));

    PartitionPlacer(BackendRegistry backends, Map<Long, ProgressiveQueue> queues) {
        this.backends = backends;
        this.queues = queues;
        thread.allowCoreThreadTimeOut(true);
    }

    @Override
    public PartitionSupport partitions(String deviceId) {
        return support.computeIfAbsent(deviceId, this::ask);
    }

    private PartitionSupport ask(String deviceId) {
        Optional<Backend> backend = backends.backendOf(deviceId);
        Optional<XpuDevice> device = backends.device(deviceId);
        if (backend.isEmpty() || device.isEmpty()) {
            return PartitionSupport.unsupported("no backend provides " + deviceId + " now");
        }
        if (!(backend.get() instanceof Backend.Partitioned partitioned)) {
            return PartitionSupport.unsupported("backend '" + backend.get().platform() + "' does not partition its devices");
        }
        try {
            PartitionSupport s = partitioned.partitions(device.get());
            return s != null ? s : PartitionSupport.unsupported("backend '" + partitioned.platform() + "' gave no answer");
        } catch (Throwable t) {
            LOG.warn("backend '{}' failed to say how {} can be partitioned", partitioned.platform(), deviceId, t);
            return PartitionSupport.unsupported("backend '" + partitioned.platform() + "' failed to tell: " + t);
        }
    }

    /**
     * A reservation for one queue must fit its device now; one for a process is checked when placed.
     *
     * @param queue the queue if it is this process's, else null
     * @throws IllegalArgumentException saying why it does not fit
     */
    void check(Hint.Reservation r, long queueId, ProgressiveQueue queue) {
        if (queue == null) {
            throw new IllegalArgumentException("queue " + queueId + " belongs to another process (node daemon); "
                    + "only queues of this process are placed on partitions");
        }
        String deviceId = queue.device().id();
        PartitionSupport s = partitions(deviceId);
        if (!s.supported()) {
            throw new IllegalArgumentException("queue " + queueId + " is on " + deviceId + ", which has no partitions: "
                    + s.unsupportedReason());
        }
        try {
            s.reservable(r.computeUnits() > 0 ? r.computeUnits() : s.unitsOf(r.percent()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reservation " + r.describe() + " for queue " + queueId + " on " + deviceId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void apply(String deviceId, DeviceLayout layout) {
        wanted.put(deviceId, layout);
        later(deviceId);
    }

    /** A queue was opened on, or closed from, a device: it may have to move, or a split may be free. */
    void queueChanged(String deviceId) {
        if (!wanted.getOrDefault(deviceId, DeviceLayout.WHOLE).whole() || splitDevices.contains(deviceId)) {
            later(deviceId);
        }
    }

    /** Backends came or went: what devices can do is asked again and their layouts made again. */
    void backendsChanged(List<XpuDevice> devices) {
        support.clear();
        devices.forEach(d -> later(d.id()));
    }

    /** @return why the queue is not where its reservation puts it, or null */
    String note(long queueId) {
        return notes.get(queueId);
    }

    private void later(String deviceId) {
        try {
            thread.execute(() -> reconcile(deviceId));
        } catch (RejectedExecutionException e) {
            LOG.debug("placement of {} not carried out: the runtime is closing", deviceId);
        }
    }

    private void reconcile(String deviceId) {
        try {
            place(deviceId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("placing the queues of {} failed; they stay where they are", deviceId, t);
        }
    }

    private void place(String deviceId) throws InterruptedException {
        Splits s = splits.computeIfAbsent(deviceId, d -> new Splits());
        Optional<Backend> backend = backends.backendOf(deviceId);
        Optional<XpuDevice> device = backends.device(deviceId);
        if (backend.isEmpty() || device.isEmpty() || backend.get() != s.backend) {
            retire(s);
            s.backend = backend.orElse(null);
        }
        List<ProgressiveQueue> local = queues.values().stream().filter(q -> q.device().id().equals(deviceId)).toList();
        DeviceLayout layout = wanted.getOrDefault(deviceId, DeviceLayout.WHOLE);
        notes.keySet().removeIf(id -> local.stream().noneMatch(q -> q.id() == id) && !queues.containsKey(id));
        local.forEach(q -> notes.remove(q.id()));
        boolean split = !layout.whole() && backend.isPresent() && backend.get() instanceof Backend.Partitioned;
        if (split && local.stream().noneMatch(q -> q.id() == layout.reservedQueue())) {
            notes.put(layout.reservedQueue(), "queues of other processes stay on the whole device");
            split = false;
        }
        if (split && (s.current == null || s.units != layout.computeUnits())) {
            split = newSplit(s, (Backend.Partitioned) backend.get(), device.get(), layout);
        }
        if (!split) {
            retire(s);
        }
        if (backend.isPresent()) {
            List<ProgressiveQueue> moving = new ArrayList<>();
            for (ProgressiveQueue q : local) {
                DevicePartition target = !split ? null : q.id() == layout.reservedQueue() ? s.current.reserved()
                        : layout.shared() ? null : s.current.complement();
                if (q.partition() != target && q.place(backend.get(), target)) {
                    moving.add(q);
                }
            }
            for (ProgressiveQueue q : moving) {
                if (!q.awaitPlaced(MOVE_WAIT_MS)) {
                    LOG.warn("{} has not moved within {} ms; its old partition stays until it has", q, MOVE_WAIT_MS);
                }
            }
        }
        closeIdle(s, local);
        if (s.current == null && s.retired.isEmpty()) {
            splits.remove(deviceId);
            splitDevices.remove(deviceId);
        } else {
            splitDevices.add(deviceId);
        }
    }

    /** @return whether the device is split now as the layout asks (a refusal keeps the layout it had) */
    private boolean newSplit(Splits s, Backend.Partitioned backend, XpuDevice device, DeviceLayout layout) {
        PartitionSplit next;
        try {
            next = backend.split(device, layout.computeUnits());
            if (next == null) {
                throw new IllegalStateException("backend '" + backend.platform() + "' made no split");
            }
        } catch (Throwable t) {
            LOG.warn("cannot split {} for a partition of {}: {}", device.id(), layout.computeUnits(), t.toString());
            notes.put(layout.reservedQueue(), "cannot reserve " + layout.computeUnits() + " on " + device.id() + ": " + t.getMessage());
            return false;
        }
        retire(s);
        s.current = next;
        s.units = layout.computeUnits();
        return true;
    }

    private static void retire(Splits s) {
        if (s.current != null) {
            s.retired.add(s.current);
            s.current = null;
            s.units = 0;
        }
    }

    /**
     * Closes the retired splits on which no queue of the device runs any more, nor is moving to (a
     * move that outlasted {@link #MOVE_WAIT_MS} may still be opening a stream there).
     */
    private static void closeIdle(Splits s, List<ProgressiveQueue> local) {
        for (Iterator<PartitionSplit> it = s.retired.iterator(); it.hasNext(); ) {
            PartitionSplit old = it.next();
            java.util.Set<DevicePartition> sides = java.util.Set.of(old.reserved(), old.complement());
            if (local.stream().noneMatch(q -> q.uses(sides))) {
                it.remove();
                close(old);
            }
        }
    }

    private static void close(PartitionSplit split) {
        try {
            split.close();
        } catch (Throwable t) {
            LOG.warn("closing partition split {} failed", split, t);
        }
    }

    /** Stops the placement thread and closes every split; the queues are closed already. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(MOVE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("placement still busy after {} ms; its splits stay open", MOVE_WAIT_MS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        splits.values().forEach(s -> {
            retire(s);
            s.retired.forEach(PartitionPlacer::close);
            s.retired.clear();
        });
        splits.clear();
    }
}
