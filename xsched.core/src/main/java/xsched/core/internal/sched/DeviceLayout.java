package xsched.core.internal.sched;

/**
 * What a placing policy decided for one device: one queue on a reserved partition of {@code
 * computeUnits} (already rounded to what the device can make) and every other queue on the
 * complement, or on the whole device when {@code shared}; or the whole device for all.
 *
 * @param reservedQueue the queue on the reserved partition, or -1 for the whole device
 * @param computeUnits  the reserved partition's compute units, 0 for the whole device
 * @param shared        whether the other queues keep the whole device (the partition is shared)
 */
public record DeviceLayout(long reservedQueue, int computeUnits, boolean shared) {
    /** Every queue on the whole device. */
    public static final DeviceLayout WHOLE = new DeviceLayout(-1, 0, false);

    /** @return whether the device runs whole */
    public boolean whole() {
        return computeUnits == 0;
    }
}
