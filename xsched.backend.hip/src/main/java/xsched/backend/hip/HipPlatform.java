package xsched.backend.hip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xsched.backend.hip.internal.ffm.HipRuntime;
import xsched.backend.support.VendorLibrary;

/**
 * Every AMD GPU the HIP runtime sees, as xsched devices {@code hip:0}, {@code hip:1}, … by HIP
 * device ordinal ({@code HIP_VISIBLE_DEVICES} applies). Open it with {@link #open()}.
 */
public final class HipPlatform implements AutoCloseable {
    /** The platform name and device id prefix. */
    public static final String PLATFORM = "hip";

    private final List<HipDevice> devices;
    private final String describe;
    private final int runtimeVersion;
    private volatile boolean closed;

    private HipPlatform(List<HipDevice> devices, String describe, int runtimeVersion) {
        this.devices = List.copyOf(devices);
        this.describe = describe;
        this.runtimeVersion = runtimeVersion;
    }

    /**
     * Opens the HIP runtime ({@code libamdhip64.so.6}, {@code .so.5} or {@code .so}, or the file named
     * by the system property {@code xsched.hip.library}) and every device.
     *
     * @return the platform
     * @throws HipUnavailableException when the runtime is missing, lacks an entry point this backend
     *                                 calls, or finds no GPU
     */
    public static HipPlatform open() throws HipUnavailableException {
        VendorLibrary library = HipRuntime.library();
        if (!library.present()) {
            throw new HipUnavailableException(library.absentReason().orElse("the HIP runtime is absent"), null);
        }
        List<String> missing = HipRuntime.missingSymbols();
        if (!missing.isEmpty()) {
            throw new HipUnavailableException("the HIP runtime " + library.source().orElse("") + " lacks " + missing
                    + ", which this backend calls (it needs ROCm 5.2 or later)", null);
        }
        int init = HipRuntime.init();
        int count;
        try {
            count = HipRuntime.deviceCount();
        } catch (HipException e) {
            throw new HipUnavailableException("the HIP runtime " + library.source().orElse("") + " found no AMD GPU: hipInit "
                    + status(init) + ", " + e.getMessage() + " (is the amdgpu driver loaded and /dev/kfd accessible?)", e);
        }
        if (count == 0) {
            throw new HipUnavailableException("the HIP runtime " + library.source().orElse("") + " found no AMD GPU: hipInit "
                    + status(init) + ", hipGetDeviceCount returned 0 devices", null);
        }
        if (init != HipRuntime.HIP_SUCCESS) {
            throw new HipUnavailableException("hipInit failed: " + status(init), null);
        }
        int version = HipRuntime.runtimeVersion();
        String versionText = HipRuntime.versionText(version);
        List<HipDevice> found = new ArrayList<>();
        try {
            for (int ordinal = 0; ordinal < count; ordinal++) {
                found.add(HipDevice.probe(ordinal, versionText));
            }
        } catch (RuntimeException e) {
            throw new HipUnavailableException("the HIP devices could not be described: " + e.getMessage(), e);
        }
        return new HipPlatform(found, library.source().orElse("") + " (HIP " + versionText + ", driver "
                + HipRuntime.versionText(HipRuntime.driverVersion()) + ")", version);
    }

    private static String status(int rc) {
        return rc == HipRuntime.HIP_SUCCESS ? "succeeded" : "returned " + HipRuntime.errorName(rc) + " (" + rc + ")";
    }

    /** @return the devices, in ordinal order */
    public List<HipDevice> devices() {
        return devices;
    }

    /** @param id an xsched device id @return the device, if it is one of these */
    public Optional<HipDevice> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** @return the runtime's version number, {@code major·10⁷ + minor·10⁵ + patch} */
    public int runtimeVersion() {
        return runtimeVersion;
    }

    /** @return the library and versions in words */
    public String describe() {
        return describe;
    }

    /** @return whether {@link #close()} was called */
    public boolean closed() {
        return closed;
    }

    /**
     * Marks the platform closed. HIP has nothing to release per platform: its device state belongs
     * to the process, and modules and buffers made on these devices stay valid until the
     * application closes them.
     */
    @Override
    public void close() {
        closed = true;
    }
}
