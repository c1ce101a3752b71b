package xsched.backend.host;

import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.BackendProperties;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.hal.PartitionSplit;

/**
 * The host backend: {@code devices} host XPUs, each with {@code workers} engine threads. Registered
 * as a DS component; also usable directly when embedding xsched without OSGi.
 *
 * <p>Partitions: a device's compute units are its workers. With two or more, it can be split into
 * the first N workers and the rest ({@link Backend.Partitioned}); a queue placed on a side runs its
 * work on those workers only. With one worker (the default) it has no partitions and says so.
 */
@Component(service = Backend.class, configurationPid = "xsched.backend.host")
@BackendProperties(platform = "host", preempt_level_max = 3)
@Designate(ocd = HostBackend.Config.class)
public final class HostBackend implements Backend.Partitioned, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostBackend.class);

    /** Host backend configuration. */
    @ObjectClassDefinition(name = "xsched host backend", description = "The host CPU as an XPU")
    public @interface Config {
        /** @return number of devices */
        @AttributeDefinition(name = "Devices", description = "How many host XPUs to offer, each with one engine thread", min = "1", max = "64")
        int devices() default 1;

        /** @return highest level */
        @AttributeDefinition(name = "Highest preempt level", description = "Highest preempt level the devices offer (1, 2 or 3)", min = "1", max = "3")
        int max_level() default 3;

        /** @return worker threads per device */
        @AttributeDefinition(name = "Workers", description = "Engine threads per host XPU, its compute units (1…256); "
                + "with 2 or more a device can be partitioned, e.g. for a reservation hint")
        int workers() default 1;
    }

    private static final int MAX_WORKERS = 256;

    private final List<HostDevice> devices = new ArrayList<>();

    /** For DS; {@link #activate(Config)} creates the devices. */
    public HostBackend() {
    }

    /**
     * For embedding.
     *
     * @param count    number of devices
     * @param maxLevel highest preempt level
     */
    public HostBackend(int count, PreemptLevel maxLevel) {
        this(count, 1, maxLevel);
    }

    /**
     * For embedding, with partitionable devices.
     *
     * @param count    number of devices
     * @param workers  engine threads per device, 1…256; 2 or more make the device partitionable
     * @param maxLevel highest preempt level
     */
    public HostBackend(int count, int workers, PreemptLevel maxLevel) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in 1…" + MAX_WORKERS + ", not " + workers);
        }
        create(count, workers, maxLevel);
    }

    @Activate
    void activate(Config config) {
        if (config.devices() < 1 || config.devices() > 64) {
            LOG.error("host backend: devices must be in 1…64, not {}; using 1", config.devices());
        }
        int count = Math.clamp(config.devices(), 1, 64);
        PreemptLevel level;
        try {
            level = PreemptLevel.of(config.max_level());
        } catch (IllegalArgumentException e) {
            LOG.error("host backend: {}; using 3", e.getMessage());
            level = PreemptLevel.INTERRUPT;
        }
        if (config.workers() < 1 || config.workers() > MAX_WORKERS) {
            LOG.error("host backend: workers must be in 1…{}, not {}; using 1", MAX_WORKERS, config.workers());
        }
        int workers = config.workers() < 1 || config.workers() > MAX_WORKERS ? 1 : config.workers();
        create(count, workers, level);
    }

    private void create(int count, int workers, PreemptLevel maxLevel) {
        String cpu = Runtime.getRuntime().availableProcessors() + "-core " + System.getProperty("os.arch") + " host";
        for (int i = 0; i < count; i++) {
            devices.add(new HostDevice(new XpuDevice("host:" + i, "host", DeviceKind.CPU, cpu, maxLevel), workers));
        }
    }

    @Override
    public String platform() {
        return "host";
    }

    @Override
    public List<XpuDevice> devices() {
        return devices.stream().map(HostDevice::description).toList();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        return new HostQueue(deviceOf(device), null);
    }

    @Override
    public PartitionSupport partitions(XpuDevice device) {
        HostDevice d = find(device);
        if (d == null) {
            return PartitionSupport.unsupported("device " + device.id() + " is not a host device of this backend");
        }
        if (d.workers() < 2) {
            return PartitionSupport.unsupported(device.id() + " has 1 worker thread; partitions need 2 or more "
                    + "(host backend configuration 'workers')");
        }
        return PartitionSupport.supported(d.workers(), "workers", 1, 1);
    }

    @Override
    public PartitionSplit split(XpuDevice device, int computeUnits) {
        return new HostSplit(deviceOf(device), computeUnits);
    }

    @Override
    public HwQueue open(XpuDevice device, DevicePartition partition) {
        HostDevice d = deviceOf(device);
        if (!(partition instanceof HostPartition p) || p.device() != d) {
            throw new IllegalArgumentException("partition " + (partition == null ? "null" : partition.name())
                    + " is not a partition of " + device.id() + " made by this backend");
        }
        p.split().queueOpened();
        return new HostQueue(d, p);
    }

    private HostDevice deviceOf(XpuDevice device) {
        HostDevice d = find(device);
        if (d == null) {
            throw new IllegalArgumentException("device " + device.id() + " is not a host device of this backend");
        }
        return d;
    }

    private HostDevice find(XpuDevice device) {
        for (HostDevice d : devices) {
            if (d.description().equals(device)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public int rank() {
        return 0;
    }

    /** Stops every device engine once its launched work has run. */
    @Override
    @Deactivate
    public void close() {
        devices.forEach(HostDevice::close);
        devices.clear();
    }
}
