package xsched.core.internal.sched;

import xsched.spi.hal.PartitionSupport;

/**
 * Where the scheduler engine's placement decisions go: the runtime, which knows the backends and
 * the queues, and carries the decisions out off the scheduler thread. Both methods are called on
 * the scheduler thread and must not wait.
 */
public interface DeviceLayouts {
    /** No device has partitions: an engine without a runtime behind it (e.g. stepped by a test kit). */
    DeviceLayouts NONE = new DeviceLayouts() {
        @Override
        public PartitionSupport partitions(String deviceId) {
            return PartitionSupport.unsupported("no backend in this engine partitions devices");
        }

        @Override
        public void apply(String deviceId, DeviceLayout layout) {
        }
    };

    /**
     * @param deviceId a device id
     * @return how the device can be partitioned, or why not; answered from what is known, quickly
     */
    PartitionSupport partitions(String deviceId);

    /**
     * Asks for a device's queues to be placed so; returns at once.
     *
     * @param deviceId a device id
     * @param layout   the layout wanted
     */
    void apply(String deviceId, DeviceLayout layout);
}
