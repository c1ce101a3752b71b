package xsched.backend.cuda.internal.green;

import java.util.Objects;
import java.util.function.Consumer;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.PartitionSplit;

/**
 * A split of one GPU's SMs as the core sees it ({@link PartitionSplit}): the reserved partition and
 * its complement, each a green context of an {@link SmPartitioning}. Every queue placed on a side
 * gets a stream of its own on that side's green context ({@link #newStream(Side)}), which the queue
 * destroys when it closes; the core closes the split once no queue is left on it. The reserved
 * side's streams have the context's most urgent priority, the complement's the default: where
 * the others keep the whole GPU (a shared reservation), the block scheduler gives the reserved
 * queue's blocks its SMs first as the others' blocks end.
 */
public final class GreenSplit implements PartitionSplit {
    /** One side of the split. */
    public final class Side implements DevicePartition {
        private final boolean reserved;

        private Side(boolean reserved) {
            this.reserved = reserved;
        }

        @Override
        public String name() {
            return gpu.id() + (reserved ? " reserved " : " complement ") + computeUnits() + " SMs";
        }

        @Override
        public int computeUnits() {
            return (reserved ? partitioning.reserved() : partitioning.complement()).smCount();
        }

        /** @return the split this side belongs to */
        public GreenSplit split() {
            return GreenSplit.this;
        }

        @Override
        public String toString() {
            return name();
        }
    }

    private final CudaGpu gpu;
    private final SmPartitioning partitioning;
    private final Consumer<GreenSplit> onClose;
    private final Side reserved = new Side(true);
    private final Side complement = new Side(false);

    /**
     * @param gpu          the GPU whose SMs are split
     * @param partitioning its green contexts
     * @param onClose      told once the split was closed
     */
    public GreenSplit(CudaGpu gpu, SmPartitioning partitioning, Consumer<GreenSplit> onClose) {
        this.gpu = Objects.requireNonNull(gpu, "gpu");
        this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /** @return the GPU */
    public CudaGpu gpu() {
        return gpu;
    }

    @Override
    public Side reserved() {
        return reserved;
    }

    @Override
    public Side complement() {
        return complement;
    }

    /**
     * @param side a side of this split
     * @return a new non-blocking stream on its green context; the caller destroys it
     * @throws IllegalStateException when the split was closed
     */
    public long newStream(Side side) {
        if (side.split() != this) {
            throw new IllegalArgumentException(side + " is not a side of " + this);
        }
        return partitioning.newStream(side.reserved, side.reserved ? urgentPriority() : 0);
    }

    /** @return the most urgent stream priority of the GPU's context */
    private int urgentPriority() {
        QueueAccess.bind(gpu);
        return CudaDriver.streamPriorityRange()[1];
    }

    /** Destroys the green contexts (their own streams first). */
    @Override
    public void close() {
        try {
            partitioning.close();
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "GreenSplit[" + reserved.name() + " | " + complement.name() + "]";
    }
}
