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
import xsched.spi.hal.HwQueue;

/**
 * The host backend: {@code devices} host XPUs, each with its own engine thread. Registered as a
 * DS component; also usable directly when embedding xsched without OSGi.
 */
@Component(service = Backend.class, configurationPid = "xsched.backend.host")
@BackendProperties(platform = "host", preempt_level_max = 3)
@Designate(ocd = HostBackend.Config.class)
public final class HostBackend implements Backend, AutoCloseable {
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
    }

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
        create(count, maxLevel);
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
        create(count, level);
    }

    private void create(int count, PreemptLevel maxLevel) {
        String cpu = Runtime.getRuntime().availableProcessors() + "-core " + System.getProperty("os.arch") + " host";
        for (int i = 0; i < count; i++) {
            devices.add(new HostDevice(new XpuDevice("host:" + i, "host", DeviceKind.CPU, cpu, maxLevel)));
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
        for (HostDevice d : devices) {
            if (d.description().equals(device)) {
                return new HostQueue(d);
            }
        }
        throw new IllegalArgumentException("device " + device.id() + " is not a host device of this backend");
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
