package xsched.backend.cuda.internal.green;

import java.util.function.IntUnaryOperator;

/**
 * How finely one device's SMs can be partitioned: a partition has at least {@code minPartition}
 * SMs and grows in steps of {@code alignment}. Both come from the driver, never from a table (on
 * the H200 with driver 580 they are 8 and 8; the CUDA docs give 2/2 for sm_6x and sm_7x, 4/2 for
 * sm_8x).
 *
 * @param smCount      SMs of the device
 * @param minPartition the fewest SMs of a partition
 * @param alignment    partitions are multiples of this many SMs (above the minimum)
 * @param source       where the last two came from
 */
public record SmGranularity(int smCount, int minPartition, int alignment, Source source) {
    /** Where the minimum and the alignment were read. */
    public enum Source {
        /** {@code CUdevSmResource.minSmPartitionSize} and {@code smCoscheduledAlignment}. */
        DRIVER_FIELDS,
        /**
         * The driver left those fields 0 (drivers before they were added): the minimum is the size
         * of the group {@code cuDevSmResourceSplitByCount} makes for {@code minCount = 1}, the
         * alignment how much more it gives for {@code minCount = minimum + 1}.
         */
        DERIVED_FROM_SPLIT
    }

    /** Checks the numbers. */
    public SmGranularity {
        if (smCount < 1 || minPartition < 1 || alignment < 1) {
            throw new IllegalArgumentException("SM count, minimum partition and alignment must be positive, not "
                    + smCount + ", " + minPartition + ", " + alignment);
        }
        if (source == null) {
            throw new IllegalArgumentException("source is required");
        }
    }

    /**
     * Derives the granularity from the split's behaviour.
     *
     * @param smCount       SMs of the device
     * @param smallestGroup for a {@code minCount}, the SMs of the one group the split makes, or 0 when it makes none
     * @return the granularity, {@link Source#DERIVED_FROM_SPLIT}
     */
    public static SmGranularity derive(int smCount, IntUnaryOperator smallestGroup) {
        int min = smallestGroup.applyAsInt(1);
        if (min < 1) {
            throw new IllegalStateException("cuDevSmResourceSplitByCount made no group of at least 1 SM out of " + smCount);
        }
        int next = min < smCount ? smallestGroup.applyAsInt(min + 1) : 0;
        // No bigger group to measure: steps of the minimum, the coarsest the driver could mean.
        int alignment = next > min ? next - min : min;
        return new SmGranularity(smCount, min, alignment, Source.DERIVED_FROM_SPLIT);
    }

    /**
     * @param requested SMs asked for, at least 1
     * @return the SMs the reserved partition will get: {@code requested} rounded up to the
     *         alignment, at least the minimum
     * @throws IllegalArgumentException when {@code requested} is below 1, or its partition would
     *                                  leave no SM to the complement
     */
    public int reservable(int requested) {
        if (requested < 1) {
            throw new IllegalArgumentException("a partition needs at least 1 SM, not " + requested);
        }
        long rounded = rounded(requested);
        if (rounded >= smCount) {
            throw new IllegalArgumentException("cannot reserve " + requested + " of " + smCount + " SMs: partitions are "
                    + describe() + ", so it would take " + rounded + " and leave none for the rest; "
                    + (maxReservable() > 0 ? "at most " + maxReservable() + " can be reserved" : "none can be reserved"));
        }
        return (int) rounded;
    }

    /** @return the largest partition that leaves at least one SM to the complement, 0 when there is none */
    public int maxReservable() {
        // rounded() never decreases, so the first request from the top that fits gives the largest partition.
        for (int requested = smCount - 1; requested >= 1; requested--) {
            long partition = rounded(requested);
            if (partition < smCount) {
                return (int) partition;
            }
        }
        return 0;
    }

    private long rounded(int requested) {
        return Math.max(minPartition, ((long) requested + alignment - 1) / alignment * alignment);
    }

    /** @return e.g. "multiples of 8 SMs, at least 8" */
    public String describe() {
        return "multiples of " + alignment + " SMs, at least " + minPartition;
    }
}
