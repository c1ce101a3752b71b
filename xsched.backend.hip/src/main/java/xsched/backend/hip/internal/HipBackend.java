package xsched.backend.hip.internal;

import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.XpuDevice;
import xsched.backend.hip.HipDevice;
import xsched.backend.hip.HipPlatform;
import xsched.backend.hip.HipUnavailableException;
import xsched.backend.support.ServiceRegistrations;
import xsched.spi.hal.Backend;
import xsched.spi.hal.BackendProperties;
import xsched.spi.hal.HwQueue;

/**
 * The HIP backend, devices {@code hip:0}, {@code hip:1}, …, level 1 ({@link HipStreamQueue}).
 *
 * <p>As a DS component it is immediate and registers nothing by itself: activation opens the HIP
 * runtime and, only if it finds GPUs, registers itself as the {@link Backend} service and each
 * device as a {@link HipDevice} service for applications. Where the runtime or a GPU is absent it
 * logs why, once, and stays unregistered. Deactivation unregisters the services and closes the
 * queues it opened; modules and buffers applications made stay valid (HIP's device state belongs to
 * the process), so commands built before a backend swap run on the next backend's queues.
 */
@Component(service = {}, immediate = true, configurationPid = "xsched.backend.hip")
@BackendProperties(platform = HipPlatform.PLATFORM, preempt_level_max = 1)
public final class HipBackend implements Backend, AutoCloseable {
    /** Service property on each {@link HipDevice} service: its xsched device id. */
    public static final String DEVICE_ID = "xsched.device.id";

    /** Rank of a GPU HIP drives, as CUDA's. */
    public static final int RANK = 100;

    /** Opens the platform, or says why it cannot. */
    @FunctionalInterface
    public interface Opener {
        /** @return the platform @throws HipUnavailableException when HIP or a GPU is absent */
        HipPlatform open() throws HipUnavailableException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(HipBackend.class);

    private final Opener opener;
    private final boolean ownsPlatform;
    private volatile HipPlatform platform;
    private volatile String unregisteredReason;
    private final ServiceRegistrations registrations = new ServiceRegistrations();
    private final Set<HipStreamQueue> queues = ConcurrentHashMap.newKeySet();

    /** For DS: {@link #activate} opens the platform. */
    public HipBackend() {
        this(HipPlatform::open);
    }

    /** @param opener how activation opens the platform (tests give one that finds nothing) */
    public HipBackend(Opener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.ownsPlatform = true;
    }

    /** @param platform an open platform the caller closes (embedding) */
    public HipBackend(HipPlatform platform) {
        this.opener = () -> platform;
        this.platform = Objects.requireNonNull(platform, "platform");
        this.ownsPlatform = false;
    }

    /**
     * Opens the platform and registers the services, or logs why not, once.
     *
     * @param context the bundle context
     */
    @Activate
    public void activate(BundleContext context) {
        HipPlatform opened;
        try {
            opened = opener.open();
        } catch (HipUnavailableException e) {
            unregisteredReason = e.getMessage();
            LOG.info("HIP backend not registered: {}", e.getMessage());
            return;
        }
        platform = opened;
        LOG.info("HIP backend: {}; devices {}", opened.describe(), devices());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.PLATFORM, HipPlatform.PLATFORM);
        props.put(Backend.PREEMPT_LEVEL_MAX, 1);
        synchronized (registrations) {
            registrations.register(context, Backend.class, this, props);
            for (HipDevice device : opened.devices()) {
                Hashtable<String, Object> deviceProps = new Hashtable<>();
                deviceProps.put(DEVICE_ID, device.id());
                deviceProps.put(Backend.PLATFORM, HipPlatform.PLATFORM);
                registrations.register(context, HipDevice.class, device, deviceProps);
            }
        }
    }

    /** @return whether activation found GPUs and registered the services */
    public boolean registered() {
        return registrations.any();
    }

    /** @return why activation registered nothing; empty when it registered or has not run */
    public Optional<String> unregisteredReason() {
        return Optional.ofNullable(unregisteredReason);
    }

    /** Unregisters the services, closes the queues it opened and, if it opened the platform, closes it; application modules and buffers stay. */
    @Override
    @Deactivate
    public void close() {
        registrations.unregisterAll();
        for (HipStreamQueue queue : List.copyOf(queues)) {
            queue.close();
        }
        HipPlatform p = platform;
        platform = null;
        if (p != null && ownsPlatform) {
            p.close();
        }
    }

    @Override
    public String platform() {
        return HipPlatform.PLATFORM;
    }

    @Override
    public List<XpuDevice> devices() {
        HipPlatform p = platform;
        return p == null ? List.of() : p.devices().stream().map(HipDevice::device).toList();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        Objects.requireNonNull(device, "device");
        HipPlatform p = platform;
        if (p == null) {
            throw new IllegalStateException("the HIP backend is not active");
        }
        HipDevice d = p.device(device.id()).orElseThrow(() -> new IllegalArgumentException("device " + device.id()
                + " is not a HIP device of this backend; it has " + p.devices().stream().map(HipDevice::id).toList()));
        HipStreamQueue queue = new HipStreamQueue(d, new NativeStream(d), queues::remove);
        queues.add(queue);
        return queue;
    }

    @Override
    public int rank() {
        return RANK;
    }
}
