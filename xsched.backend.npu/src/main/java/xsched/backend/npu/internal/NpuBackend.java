package xsched.backend.npu.internal;

import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.internal.queue.ZeBackend;
import xsched.spi.hal.BackendProperties;

/**
 * The Intel NPU backend: Level Zero devices of type VPU as {@code npu:0}, {@code npu:1}, … (kind NPU),
 * level 1 over the queue {@code xsched.backend.levelzero} defines (copied into this bundle). As a DS
 * component it is immediate and registers nothing by itself: activation opens the loader and, only
 * if NPUs are found, registers the {@code Backend} service and each device as a {@code ZeDevice}
 * service; where the loader, a driver or an NPU is absent it logs why, once, and stays unregistered.
 *
 * <p>On activation it logs, per device, the driver's extensions and what {@link QueueSuspend} says
 * about a hardware-assisted level 2; no driver offers one yet, so every device stays at level 1.
 */
@Component(service = {}, immediate = true, configurationPid = "xsched.backend.npu")
@BackendProperties(platform = NpuBackend.PLATFORM, preempt_level_max = 1)
public final class NpuBackend extends ZeBackend {
    /** The platform name and device id prefix. */
    public static final String PLATFORM = "npu";

    /**
     * Rank: above the host (0), below every GPU and FPGA backend: an NPU runs copies and compiled
     * graphs, not the general kernels a "best device" is picked for.
     */
    public static final int RANK = 10;

    private static final Logger LOG = LoggerFactory.getLogger(NpuBackend.class);

    private final QueueSuspend suspend;

    /** For DS: {@link #activate} opens the platform of NPUs. */
    public NpuBackend() {
        this(() -> ZePlatform.open(ZeDeviceType.VPU), QueueSuspend.NONE);
    }

    /**
     * @param opener  how activation opens the platform (tests give one that finds nothing)
     * @param suspend how to ask the driver about suspending queues
     */
    public NpuBackend(Opener opener, QueueSuspend suspend) {
        super(ZeDeviceType.VPU, opener);
        this.suspend = Objects.requireNonNull(suspend, "suspend");
    }

    /** @param platform an open platform of NPUs the caller closes (embedding) */
    public NpuBackend(ZePlatform platform) {
        super(ZeDeviceType.VPU, platform);
        this.suspend = QueueSuspend.NONE;
    }

    /**
     * Opens the platform and registers the services, or logs why not.
     *
     * @param context the bundle context
     */
    @Activate
    public void activate(BundleContext context) {
        start(context);
    }

    @Override
    @Deactivate
    public void close() {
        super.close();
    }

    @Override
    protected String title() {
        return "Intel NPU backend";
    }

    @Override
    protected void opened(ZePlatform platform) {
        for (ZeDevice device : platform.devices()) {
            LOG.info("{}: driver extensions {}", device.id(), device.driverExtensions());
            switch (suspend.probe(device)) {
                case QueueSuspend.Support.Offered offered -> LOG.info("{}: the driver offers queue suspend ({}), which this "
                        + "version does not use yet; the device stays at level 1", device.id(), offered.how());
                case QueueSuspend.Support.Absent absent -> LOG.info("{}: level 1; no hardware-assisted level 2: {}",
                        device.id(), absent.why());
            }
        }
    }

    @Override
    public int rank() {
        return RANK;
    }
}
