package xsched.spi.hal;

import java.util.Objects;

/**
 * Whether and how finely a backend can partition one device's compute units (SMs of a GPU, worker
 * threads of the host XPU): a partition has at least {@code minPartition} units and grows in steps
 * of {@code alignment}, and one partition must leave at least one unit to its complement. The
 * numbers come from the backend (read from the driver where there is one), never from a table.
 * A device that cannot be partitioned says why in {@code unsupportedReason}.
 *
 * @param computeUnits      compute units of the device; 0 when unsupported
 * @param unitName          what a compute unit is, plural, e.g. {@code SMs} or {@code workers}
 * @param minPartition      the fewest units of a partition; 0 when unsupported
 * @param alignment         partitions are multiples of this many units (above the minimum); 0 when unsupported
 * @param unsupportedReason why the device has no partitions, or null when it has
 */
public record PartitionSupport(int computeUnits, String unitName, int minPartition, int alignment, String unsupportedReason) {
    /** Checks the numbers. */
    public PartitionSupport {
        Objects.requireNonNull(unitName, "unitName");
        if (unsupportedReason == null && (computeUnits < 2 || minPartition < 1 || alignment < 1 || minPartition >= computeUnits)) {
            throw new IllegalArgumentException("a partitionable device needs at least 2 compute units, a minimum partition below "
                    + "that and a positive alignment, not " + computeUnits + ", " + minPartition + ", " + alignment);
        }
    }

    /**
     * @param computeUnits compute units of the device, at least 2
     * @param unitName     what a compute unit is, plural
     * @param minPartition the fewest units of a partition
     * @param alignment    the step of partition sizes
     * @return a device that can be partitioned
     */
    public static PartitionSupport supported(int computeUnits, String unitName, int minPartition, int alignment) {
        return new PartitionSupport(computeUnits, unitName, minPartition, alignment, null);
    }

    /**
     * @param reason why not, as a user should read it (e.g. "green contexts unsupported because the driver is older than CUDA 12.4")
     * @return a device that cannot be partitioned
     */
    public static PartitionSupport unsupported(String reason) {
        return new PartitionSupport(0, "compute units", 0, 0, Objects.requireNonNull(reason, "reason"));
    }

    /** @return whether the device can be partitioned */
    public boolean supported() {
        return unsupportedReason == null;
    }

    /**
     * @param percent a share of the device, 1…99
     * @return the compute units that share is, rounded up, at least 1
     * @throws IllegalArgumentException when the device cannot be partitioned
     */
    public int unitsOf(int percent) {
        requireSupported();
        return (int) Math.max(1, ((long) computeUnits * percent + 99) / 100);
    }

    /**
     * @param requested compute units asked for
     * @return the units a partition for that request gets: rounded up to the alignment, at least the minimum
     * @throws IllegalArgumentException with a usable message when the device cannot be partitioned,
     *                                  {@code requested} is below 1, or the partition would leave no
     *                                  unit to its complement
     */
    public int reservable(int requested) {
        requireSupported();
        if (requested < 1) {
            throw new IllegalArgumentException("a partition needs at least 1 of " + unitName + ", not " + requested);
        }
        long rounded = rounded(requested);
        if (rounded >= computeUnits) {
            int max = maxReservable();
            throw new IllegalArgumentException("cannot reserve " + requested + " of " + computeUnits + " " + unitName + ": partitions are "
                    + describe() + ", so it would take " + rounded + " and leave none for the other queues; "
                    + (max > 0 ? "at most " + max + " can be reserved" : "none can be reserved"));
        }
        return (int) rounded;
    }

    /** @return the largest partition that leaves at least one unit to the complement, 0 when there is none */
    public int maxReservable() {
        if (!supported()) {
            return 0;
        }
        for (int requested = computeUnits - 1; requested >= 1; requested--) {
            long partition = rounded(requested);
            if (partition < computeUnits) {
                return (int) partition;
            }
        }
        return 0;
    }

    private long rounded(int requested) {
        return Math.max(minPartition, ((long) requested + alignment - 1) / alignment * alignment);
    }

    private void requireSupported() {
        if (!supported()) {
            throw new IllegalArgumentException("the device has no partitions: " + unsupportedReason);
        }
    }

    /** @return e.g. "multiples of 8 SMs, at least 8", or the reason there are none */
    public String describe() {
        return supported() ? "multiples of " + alignment + " " + unitName + ", at least " + minPartition
                : "no partitions: " + unsupportedReason;
    }
}
