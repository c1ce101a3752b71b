package xsched.spi.hal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named subset of one device's compute units, made by a {@link Backend.Partitioned} backend as
 * one side of a {@link PartitionSplit}. The core treats it as opaque and hands it back to the
 * backend that made it ({@link Backend.Partitioned#open(xsched.api.XpuDevice, DevicePartition)}).
 */
@ConsumerType
public interface DevicePartition {
    /** @return a name for listings, unique on its device while its split is open, e.g. {@code host:0/w0-1} */
    String name();

    /** @return the compute units the backend gave the partition (it may be more than asked for) */
    int computeUnits();
}
