package xsched.backend.levelzero.internal.queue;

import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.ZeUnavailableException;
import xsched.backend.support.ServiceRegistrations;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;

/**
 * What the Level Zero GPU and NPU backends share: a platform of one {@link ZeDeviceType}, opened on
 * activation or given by an embedder; the {@link Backend} service and one {@link ZeDevice} service
 * per device, registered only when devices were found (else one log line says why); level-1 {@link
 * ZeQueue}s, closed with the backend. The DS components ({@code LevelZeroBackend}, {@code
 * NpuBackend}) are thin subclasses that carry the annotations.
 *
 * <p>Closing the backend closes the queues it opened and, if it opened the platform, lets go of it:
 * device contexts stay alive while the application still holds modules or buffers made on them
 * ({@link ZePlatform#close()}). A new backend instance opens new contexts, whose queues cannot run
 * commands built with the old ones; an embedder that swaps backends keeps one platform and makes
 * each backend over it.
 */
public abstract class ZeBackend implements Backend, AutoCloseable {
    /** Service property on each {@link ZeDevice} service: its xsched device id. */
    public static final String DEVICE_ID = "xsched.device.id";

    /** Opens the platform, or says why it cannot. */
    @FunctionalInterface
    public interface Opener {
        /** @return the platform @throws ZeUnavailableException when Level Zero or a device of the type is absent */
        ZePlatform open() throws ZeUnavailableException;
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final ZeDeviceType type;
    private final Opener opener;
    private final boolean ownsPlatform;
    private volatile ZePlatform platform;
    private volatile String absentReason;
    private final ServiceRegistrations registrations = new ServiceRegistrations();
    private final Set<ZeQueue> queues = ConcurrentHashMap.newKeySet();

    /**
     * @param type   the device type
     * @param opener how activation opens the platform (tests give one that finds nothing)
     */
    protected ZeBackend(ZeDeviceType type, Opener opener) {
        this.type = Objects.requireNonNull(type, "type");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.ownsPlatform = true;
    }

    /**
     * @param type     the device type
     * @param platform an open platform of that type, which the caller closes (embedding)
     */
    protected ZeBackend(ZeDeviceType type, ZePlatform platform) {
        this.type = Objects.requireNonNull(type, "type");
        Objects.requireNonNull(platform, "platform");
        if (platform.type() != type) {
            throw new IllegalArgumentException("this backend drives " + type + " devices, but the platform has " + platform.type());
        }
        this.opener = () -> platform;
        this.platform = platform;
        this.ownsPlatform = false;
    }

    /** @return what the backend is, for log lines, e.g. "Level Zero GPU backend" */
    protected abstract String title();

    /** Called once the platform is open and before the services are registered (the NPU backend probes its driver). */
    protected void opened(ZePlatform platform) {
    }

    /**
     * Opens the platform and registers the services, or logs why not (once, at INFO).
     *
     * @param context the bundle context
     */
    protected final void start(BundleContext context) {
        ZePlatform opened;
        try {
            opened = opener.open();
        } catch (ZeUnavailableException e) {
            absentReason = e.getMessage();
            log.info("{} not registered: {}", title(), e.getMessage());
            return;
        }
        platform = opened;
        opened(opened);
        log.info("{}: {}; devices {}", title(), opened.describe(), devices());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.PLATFORM, type.platform());
        props.put(Backend.PREEMPT_LEVEL_MAX, devices().stream().mapToInt(d -> d.maxLevel().number()).max().orElse(1));
        synchronized (registrations) {
            registrations.register(context, Backend.class, this, props);
            for (ZeDevice device : opened.devices()) {
                Hashtable<String, Object> deviceProps = new Hashtable<>();
                deviceProps.put(DEVICE_ID, device.id());
                deviceProps.put(Backend.PLATFORM, type.platform());
                registrations.register(context, ZeDevice.class, device, deviceProps);
            }
        }
    }

    /** @return whether activation found devices and registered the services */
    public boolean registered() {
        return registrations.any();
    }

    /** @return why activation registered nothing, empty when it did or has not run */
    public Optional<String> absentReason() {
        return Optional.ofNullable(absentReason);
    }

    /** @return the platform, when open */
    protected Optional<ZePlatform> platformIfOpen() {
        return Optional.ofNullable(platform);
    }

    /** Unregisters the services, closes the queues it opened and, if it opened the platform, lets go of it. */
    @Override
    public void close() {
        registrations.unregisterAll();
        for (ZeQueue queue : List.copyOf(queues)) {
            queue.close();
        }
        ZePlatform p = platform;
        platform = null;
        if (p != null && ownsPlatform) {
            p.close();
        }
    }

    @Override
    public String platform() {
        return type.platform();
    }

    @Override
    public List<XpuDevice> devices() {
        ZePlatform p = platform;
        return p == null ? List.of() : p.devices().stream().map(this::describe).toList();
    }

    /** @return the device as this backend lists it; the NPU backend may raise its level where the driver allows */
    protected XpuDevice describe(ZeDevice device) {
        return device.device();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        Objects.requireNonNull(device, "device");
        ZePlatform p = platform;
        if (p == null) {
            throw new IllegalStateException("the " + title() + " is not active");
        }
        ZeDevice d = p.device(device.id()).orElseThrow(() -> new IllegalArgumentException("device " + device.id()
                + " is not a device of the " + title() + "; it has " + p.devices().stream().map(ZeDevice::id).toList()));
        ZeQueue queue = ZeQueue.open(d, queues::remove);
        queues.add(queue);
        return queue;
    }
}
