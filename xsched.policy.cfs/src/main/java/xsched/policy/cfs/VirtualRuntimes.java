package xsched.policy.cfs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongToDoubleFunction;

/**
 * The virtual runtime of every queue and, per device, the queue that holds it. A queue's virtual
 * runtime grows by the real time it ran divided by its weight relative to the base weight; each
 * device keeps a floor that never decreases, so a queue that was IDLE or is new starts level with
 * the others instead of far behind them. Used on the scheduler thread only.
 */
final class VirtualRuntimes {
    /** The weight of a queue without hints. */
    static final double BASE_WEIGHT = 1024;

    private static final class Device {
        double floor;
        long holder = -1;
        long heldSince;
        long timerAt = Long.MIN_VALUE;
    }

    private final Map<Long, Double> vruntime = new HashMap<>();
    private final Map<Long, Boolean> wasReady = new HashMap<>();
    private final Map<String, Device> devices = new HashMap<>();
    private long lastNanos = Long.MIN_VALUE;

    /**
     * Charges each device's holder for the time since the last call.
     *
     * @param now    the scheduler clock
     * @param weight the current weight of a queue id, or 0 if it is gone
     */
    void charge(long now, LongToDoubleFunction weight) {
        if (lastNanos != Long.MIN_VALUE) {
            for (Device d : devices.values()) {
                double w = d.holder < 0 ? 0 : weight.applyAsDouble(d.holder);
                if (w > 0 && vruntime.containsKey(d.holder)) {
                    vruntime.merge(d.holder, (now - lastNanos) * BASE_WEIGHT / w, Double::sum);
                }
            }
        }
        lastNanos = now;
    }

    /**
     * Raises a device's floor to the least virtual runtime of the queues that stayed READY, then
     * places the queues that are new or just turned READY at the floor unless they are already past
     * it. Call after {@link #retain}.
     *
     * @param device a device
     * @param ready  its READY queues
     */
    void place(String device, List<Long> ready) {
        Device d = devices.computeIfAbsent(device, k -> new Device());
        ready.stream().filter(id -> wasReady.getOrDefault(id, false)).mapToDouble(vruntime::get).min()
                .ifPresent(least -> d.floor = Math.max(d.floor, least));
        for (long id : ready) {
            if (!wasReady.getOrDefault(id, false)) {
                vruntime.merge(id, d.floor, Math::max);
            }
            wasReady.put(id, true);
        }
    }

    /**
     * Forgets queues and devices that are gone, and marks the queues that are not READY.
     *
     * @param present ids of every open queue
     * @param ready   ids of READY queues
     * @param open    devices with open queues
     */
    void retain(Set<Long> present, Set<Long> ready, Set<String> open) {
        vruntime.keySet().retainAll(present);
        wasReady.keySet().retainAll(ready);
        devices.keySet().retainAll(open);
    }

    double vruntime(long id) {
        return vruntime.get(id);
    }

    long holder(String device) {
        return devices.get(device).holder;
    }

    long heldSince(String device) {
        return devices.get(device).heldSince;
    }

    void hold(String device, long id, long now) {
        Device d = devices.get(device);
        d.holder = id;
        d.heldSince = now;
    }

    void release(String device) {
        Device d = devices.get(device);
        if (d != null) {
            d.holder = -1;
        }
    }

    /** @return whether a timer at {@code at} is needed, i.e. none is pending at or before it */
    boolean wantsTimer(String device, long at, long now) {
        Device d = devices.get(device);
        if (d.timerAt > now && d.timerAt <= at) {
            return false;
        }
        d.timerAt = at;
        return true;
    }

    void clear() {
        vruntime.clear();
        wasReady.clear();
        devices.clear();
        lastNanos = Long.MIN_VALUE;
    }
}
