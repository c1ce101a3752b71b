package xsched.spi.hal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One device's compute units split in two: a reserved partition and its complement, every other
 * unit. Made by {@link Backend.Partitioned#split}; the core opens queues on either side and closes
 * the split once no queue is open on it any more.
 */
@ConsumerType
public interface PartitionSplit extends AutoCloseable {
    /** @return the reserved partition, of at least the units asked for */
    DevicePartition reserved();

    /** @return every other compute unit of the device */
    DevicePartition complement();

    /**
     * Releases the split. Called once, after every queue opened on it was closed; a backend whose
     * partitions hold device resources (green contexts, streams) frees them here.
     */
    @Override
    void close();
}
