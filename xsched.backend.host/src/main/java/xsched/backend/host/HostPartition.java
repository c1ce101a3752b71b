package xsched.backend.host;

import java.util.BitSet;
import xsched.spi.hal.DevicePartition;

/**
 * Some of a host device's workers: a queue opened on it runs its work on those workers only.
 *
 * @param name    e.g. {@code host:0/w0-1}
 * @param device  the device
 * @param workers the workers, by index; not empty, never changed
 * @param split   the split it is a side of
 */
record HostPartition(String name, HostDevice device, BitSet workers, HostSplit split) implements DevicePartition {
    /** @return the workers from {@code from} (inclusive) to {@code to} (exclusive) of a device */
    static HostPartition of(HostDevice device, int from, int to, HostSplit split) {
        BitSet workers = new BitSet();
        workers.set(from, to);
        String range = to - from == 1 ? "w" + from : "w" + from + "-" + (to - 1);
        return new HostPartition(device.description().id() + "/" + range, device, workers, split);
    }

    @Override
    public int computeUnits() {
        return workers.cardinality();
    }

    @Override
    public String toString() {
        return name;
    }
}
