package xsched.spi.hal;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import xsched.api.XpuDevice;

/**
 * A vendor backend: registered as an OSGi service (one per bundle, listing every device it
 * found), picked up by the core's whiteboard. A backend whose vendor library or device is absent
 * registers nothing and logs why once.
 */
@ConsumerType
public interface Backend {
    /** Service property: the platform name, e.g. {@code cuda}. */
    String PLATFORM = "xsched.platform";

    /** Service property: the highest preempt level (1…3) of any of its devices. */
    String PREEMPT_LEVEL_MAX = "xsched.preempt.level.max";

    /** @return the platform name; device ids start with it */
    String platform();

    /** @return the devices found, in the backend's order of preference */
    List<XpuDevice> devices();

    /**
     * Opens a new vendor queue on a device. Called from the launch worker that will drive it.
     *
     * @param device one of {@link #devices()}
     * @return the queue; its type says which preempt levels it supports
     * @throws IllegalArgumentException when the device is not this backend's
     */
    HwQueue open(XpuDevice device);

    /**
     * @return a rank among platforms for "the best device present"; higher is better. The
     *         host CPU ranks 0, real accelerators above.
     */
    default int rank() {
        return 100;
    }

    /**
     * Optional: the backend can partition its devices' compute units (green contexts of a GPU,
     * worker threads of the host XPU), so that a latency-critical queue runs on units of its own
     * while the others keep the rest. The core checks a backend with {@code instanceof}; a backend
     * without it keeps working unchanged, its queues on the whole device.
     *
     * <p>A queue is moved between partitions at a command boundary, like a queue handed from one
     * backend to another: the core opens a hardware queue on the target with {@link
     * #open(XpuDevice, DevicePartition)} (or {@link #open(XpuDevice)} for the whole device), lets
     * go of the old one once its launched commands have completed (a suspended level-2/3 queue
     * hands its stopped commands to the new one through {@code reactivate}/{@code restore}), then
     * closes it. Nothing is lost and nothing runs twice.
     */
    @ConsumerType
    interface Partitioned extends Backend {
        /**
         * Says whether a device can be partitioned and how finely. Must not throw for a device that
         * cannot: it returns {@link PartitionSupport#unsupported(String)} with the reason. Called
         * often (the scheduler thread reads it), so it answers from what the backend already knows.
         *
         * @param device one of {@link #devices()}
         * @return the device's partitioning
         */
        PartitionSupport partitions(XpuDevice device);

        /**
         * Splits a device: a partition of at least {@code computeUnits} units (rounded as {@link
         * PartitionSupport#reservable(int)} says) and its complement. The device may hold several
         * splits at once for a short while (the old one until its queues have moved off).
         * Called off the scheduler thread.
         *
         * @param device       one of {@link #devices()}
         * @param computeUnits compute units wanted for the reserved partition
         * @return the split
         * @throws IllegalArgumentException with a usable message when the device cannot be split so
         * @throws RuntimeException         when the device refuses (e.g. a driver error naming the call)
         */
        PartitionSplit split(XpuDevice device, int computeUnits);

        /**
         * Opens a new vendor queue whose commands run only on the partition's compute units. Called
         * from the launch worker that will drive it, like {@link #open(XpuDevice)}.
         *
         * @param device    the device
         * @param partition a side of an open {@link PartitionSplit} of that device, made by this backend
         * @return the queue
         * @throws IllegalArgumentException when the partition is not one of this backend's open partitions of the device
         */
        HwQueue open(XpuDevice device, DevicePartition partition);
    }
}
