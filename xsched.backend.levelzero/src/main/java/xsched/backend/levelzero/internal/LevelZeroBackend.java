package xsched.backend.levelzero.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.internal.queue.ZeBackend;
import xsched.spi.hal.BackendProperties;

/**
 * The Level Zero GPU backend, devices {@code levelzero:0}, {@code levelzero:1}, …, level 1 ({@code
 * ZeQueue}). As a DS component it is immediate and registers nothing by itself: activation opens the
 * loader and, only if GPUs are found, registers the {@code Backend} service and each device as a
 * {@code ZeDevice} service; where the loader, a driver or a GPU is absent it logs why, once, and
 * stays unregistered (see {@link ZeBackend}).
 */
@Component(service = {}, immediate = true, configurationPid = "xsched.backend.levelzero")
@BackendProperties(platform = LevelZeroBackend.PLATFORM, preempt_level_max = 1)
public final class LevelZeroBackend extends ZeBackend {
    /** The platform name and device id prefix. */
    public static final String PLATFORM = "levelzero";

    /** Rank: below CUDA's 100, above OpenCL's 90 (an Intel GPU both reach runs natively here), far above the host. */
    public static final int RANK = 95;

    /** For DS: {@link #activate} opens the platform of GPUs. */
    public LevelZeroBackend() {
        this(() -> ZePlatform.open(ZeDeviceType.GPU));
    }

    /** @param opener how activation opens the platform (tests give one that finds nothing) */
    public LevelZeroBackend(Opener opener) {
        super(ZeDeviceType.GPU, opener);
    }

    /** @param platform an open platform of GPUs the caller closes (embedding) */
    public LevelZeroBackend(ZePlatform platform) {
        super(ZeDeviceType.GPU, platform);
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
        return "Level Zero GPU backend";
    }

    @Override
    public int rank() {
        return RANK;
    }
}
