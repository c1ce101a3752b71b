package xsched.backend.levelzero;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeResults;
import xsched.backend.support.VendorLibrary;

/**
 * The Level Zero devices of one type ({@link ZeDeviceType}) that the loader's drivers offer, as
 * xsched devices {@code levelzero:0}, {@code levelzero:1}, … (GPUs) or {@code npu:0}, … (VPUs), in
 * driver order, then each driver's device order. Open it with {@link #open(ZeDeviceType)}; close it
 * after the runtimes that use it. Each device gets a context of its own.
 */
public final class ZePlatform implements AutoCloseable {
    private final ZeDeviceType type;
    private final List<ZeDevice> devices;
    private final String describe;
    private volatile boolean closed;

    private ZePlatform(ZeDeviceType type, List<ZeDevice> devices, String describe) {
        this.type = type;
        this.devices = List.copyOf(devices);
        this.describe = describe;
    }

    /**
     * Opens the loader ({@code libze_loader.so.1}, or the file named by the system property {@code
     * xsched.levelzero.library}), initializes every driver ({@code zeInit(0)}) and opens each device
     * of {@code type}.
     *
     * @param type the devices wanted
     * @return the platform
     * @throws ZeUnavailableException when the loader or an entry point is missing, no driver
     *         initializes, or no driver offers a device of that type; the message says which
     */
    public static ZePlatform open(ZeDeviceType type) throws ZeUnavailableException {
        Objects.requireNonNull(type, "type");
        VendorLibrary library = LevelZero.library();
        if (!library.present()) {
            throw new ZeUnavailableException(library.absentReason().orElse("the Level Zero loader is absent"), null);
        }
        List<String> missing = LevelZero.missingSymbols();
        if (!missing.isEmpty()) {
            throw new ZeUnavailableException("the Level Zero loader " + library.source().orElse("") + " does not export "
                    + String.join(", ", missing) + "; install loader 1.8 or later (Debian libze1)", null);
        }
        int rc = LevelZero.init(LevelZero.INIT_ALL_DRIVERS);
        if (rc != ZeResults.SUCCESS) {
            throw new ZeUnavailableException("zeInit failed: " + ZeResults.name(rc) + " (" + ZeResults.hex(rc) + ")"
                    + (rc == ZeResults.ERROR_UNINITIALIZED ? "; no Level Zero driver is installed or none initialized "
                    + "(the loader looks for libze_intel_gpu.so.1 and libze_intel_vpu.so.1)" : ""), null);
        }
        long[] drivers;
        try {
            drivers = LevelZero.drivers();
        } catch (ZeException e) {
            throw new ZeUnavailableException(e.getMessage(), e);
        }
        if (drivers.length == 0) {
            throw new ZeUnavailableException("the loader has no driver (zeDriverGet found 0)", null);
        }
        List<ZeDevice> found = new ArrayList<>();
        List<String> others = new ArrayList<>();
        List<String> driverNames = new ArrayList<>();
        try {
            for (long driver : drivers) {
                int api = LevelZero.driverApiVersion(driver);
                String driverText = "API " + (api >>> 16) + "." + (api & 0xffff) + ", driver " + Integer.toUnsignedString(LevelZero.driverVersion(driver));
                long[] handles = LevelZero.devices(driver);
                driverNames.add(driverText + " (" + handles.length + " devices)");
                for (long handle : handles) {
                    LevelZero.DeviceProperties props = LevelZero.deviceProperties(handle);
                    if (props.type() == type.code()) {
                        found.add(ZeDevice.open(found.size(), type, driver, handle, props, driverText));
                    } else {
                        others.add(ZeDeviceType.nameOf(props.type()) + " '" + props.name() + "'");
                    }
                }
            }
        } catch (RuntimeException e) {
            found.forEach(ZeDevice::retire);
            throw new ZeUnavailableException("the Level Zero devices could not be opened: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new ZeUnavailableException("no Level Zero driver offers a " + type + " device"
                    + (others.isEmpty() ? "" : " (found " + String.join(", ", others) + ")"), null);
        }
        return new ZePlatform(type, found, library.source().orElse("") + ": " + String.join(", ", driverNames));
    }

    /** @return the device type of this platform */
    public ZeDeviceType type() {
        return type;
    }

    /** @return the devices, in id order */
    public List<ZeDevice> devices() {
        return devices;
    }

    /** @param id an xsched device id @return the device, if it is one of these */
    public Optional<ZeDevice> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** @return the loader and the drivers in words */
    public String describe() {
        return describe;
    }

    /** @return whether {@link #close()} was called */
    public boolean closed() {
        return closed;
    }

    /**
     * Lets go of the devices: a device's context is destroyed once the modules, kernels, buffers and
     * queues made on it are closed too, so application state outlives the platform (and a backend
     * swap) until the application closes it.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            devices.forEach(ZeDevice::retire);
        }
    }
}
