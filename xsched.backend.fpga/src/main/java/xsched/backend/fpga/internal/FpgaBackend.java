package xsched.backend.fpga.internal;

import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.DeviceKind;
import xsched.api.XpuDevice;
import xsched.backend.fpga.OpenClDevice;
import xsched.backend.fpga.OpenClPlatform;
import xsched.backend.fpga.OpenClUnavailableException;
import xsched.backend.support.ServiceRegistrations;
import xsched.spi.hal.Backend;
import xsched.spi.hal.BackendProperties;
import xsched.spi.hal.HwQueue;

/**
 * The OpenCL backend, devices {@code opencl:0}, {@code opencl:1}, …, level 1 ({@link OpenClQueue}).
 *
 * <p>As a DS component it is immediate and registers nothing by itself: activation opens the ICD
 * loader and, only if devices are found, registers itself as the {@link Backend} service and each
 * device as an {@link OpenClDevice} service for applications. Where the loader, a platform or a
 * device is absent it logs why, once, and stays unregistered. Deactivation unregisters the services,
 * closes the queues it opened and drops its references to the device contexts; programs, kernels
 * and buffers applications made keep their context alive until they close them (OpenCL reference
 * counting), but a new backend instance opens new contexts, whose queues cannot run commands built
 * with the old ones. An embedder that swaps backends keeps one platform and makes each backend over
 * it ({@code OpenClBackends.over(platform)}).
 */
@Component(service = {}, immediate = true, configurationPid = "xsched.backend.fpga")
@BackendProperties(platform = FpgaBackend.PLATFORM, preempt_level_max = 1)
public final class FpgaBackend implements Backend, AutoCloseable {
    /** The platform name and device id prefix. */
    public static final String PLATFORM = "opencl";

    /** Service property on each {@link OpenClDevice} service: its xsched device id. */
    public static final String DEVICE_ID = "xsched.device.id";

    /** Rank with an accelerator or GPU device: below CUDA's 100 (a GPU CUDA drives directly is preferred), above the host. */
    public static final int RANK = 90;

    /** Opens the platform, or says why it cannot. */
    @FunctionalInterface
    public interface Opener {
        /** @return the platform @throws OpenClUnavailableException when OpenCL is absent */
        OpenClPlatform open() throws OpenClUnavailableException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FpgaBackend.class);

    private final Opener opener;
    private final boolean ownsPlatform;
    private volatile OpenClPlatform platform;
    private final ServiceRegistrations registrations = new ServiceRegistrations();
    private final Set<OpenClQueue> queues = ConcurrentHashMap.newKeySet();

    /** For DS: {@link #activate} opens the platform. */
    public FpgaBackend() {
        this(OpenClPlatform::open);
    }

    /** @param opener how activation opens the platform (tests give one that finds nothing) */
    public FpgaBackend(Opener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.ownsPlatform = true;
    }

    /** @param platform an open platform the caller closes (embedding) */
    public FpgaBackend(OpenClPlatform platform) {
        this.opener = () -> platform;
        this.platform = Objects.requireNonNull(platform, "platform");
        this.ownsPlatform = false;
    }

    /**
     * Opens the platform and registers the services, or logs why not.
     *
     * @param context the bundle context
     */
    @Activate
    public void activate(BundleContext context) {
        OpenClPlatform opened;
        try {
            opened = opener.open();
        } catch (OpenClUnavailableException e) {
            LOG.info("OpenCL backend not registered: {}", e.getMessage());
            return;
        }
        platform = opened;
        LOG.info("OpenCL backend: {}; devices {}", opened.describe(), devices());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.PLATFORM, PLATFORM);
        props.put(Backend.PREEMPT_LEVEL_MAX, 1);
        synchronized (registrations) {
            registrations.register(context, Backend.class, this, props);
            for (OpenClDevice device : opened.devices()) {
                Hashtable<String, Object> deviceProps = new Hashtable<>();
                deviceProps.put(DEVICE_ID, device.id());
                deviceProps.put(Backend.PLATFORM, PLATFORM);
                registrations.register(context, OpenClDevice.class, device, deviceProps);
            }
        }
    }

    /** @return whether activation found devices and registered the services */
    public boolean registered() {
        return registrations.any();
    }

    /** Unregisters the services, closes the queues it opened and, if it opened the platform, closes it. */
    @Override
    @Deactivate
    public void close() {
        registrations.unregisterAll();
        for (OpenClQueue queue : List.copyOf(queues)) {
            queue.close();
        }
        OpenClPlatform p = platform;
        platform = null;
        if (p != null && ownsPlatform) {
            p.close();
        }
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public List<XpuDevice> devices() {
        OpenClPlatform p = platform;
        return p == null ? List.of() : p.devices().stream().map(OpenClDevice::device).toList();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        Objects.requireNonNull(device, "device");
        OpenClPlatform p = platform;
        if (p == null) {
            throw new IllegalStateException("the OpenCL backend is not active");
        }
        OpenClDevice d = p.device(device.id()).orElseThrow(() -> new IllegalArgumentException("device " + device.id()
                + " is not an OpenCL device of this backend; it has " + p.devices().stream().map(OpenClDevice::id).toList()));
        OpenClQueue queue = new OpenClQueue(d, queues::remove);
        queues.add(queue);
        return queue;
    }

    /** @return {@value #RANK} with an accelerator or GPU, else -1: a CPU through OpenCL ranks below the host backend */
    @Override
    public int rank() {
        return devices().stream().anyMatch(d -> d.kind() != DeviceKind.CPU) ? RANK : -1;
    }
}
