package xsched.backend.fpga;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.support.VendorLibrary;

/**
 * Every OpenCL device of every platform the ICD loader finds, as xsched devices {@code opencl:0},
 * {@code opencl:1}, … in the loader's platform order, then each platform's device order. Open it
 * with {@link #open()}; close it after the runtimes that use it.
 */
public final class OpenClPlatform implements AutoCloseable {
    private final List<OpenClDevice> devices;
    private final String describe;
    private volatile boolean closed;

    private OpenClPlatform(List<OpenClDevice> devices, String describe) {
        this.devices = List.copyOf(devices);
        this.describe = describe;
    }

    /**
     * Opens the loader ({@code libOpenCL.so.1}, or the file named by the system property {@code
     * xsched.opencl.library}) and every device.
     *
     * @return the platform
     * @throws OpenClUnavailableException when the loader, a platform or a device is missing
     */
    public static OpenClPlatform open() throws OpenClUnavailableException {
        VendorLibrary library = OpenCl.library();
        if (!library.present()) {
            throw new OpenClUnavailableException(library.absentReason().orElse("the OpenCL library is absent"), null);
        }
        long[] platforms;
        try {
            platforms = OpenCl.platforms();
        } catch (RuntimeException e) {
            throw new OpenClUnavailableException("the loader could not list platforms: " + e.getMessage(), e);
        }
        if (platforms.length == 0) {
            throw new OpenClUnavailableException("no OpenCL platform is registered (no driver in /etc/OpenCL/vendors or "
                    + "OCL_ICD_VENDORS; install e.g. pocl-opencl-icd)", null);
        }
        List<OpenClDevice> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (long platform : platforms) {
                String name = OpenCl.platformInfo(platform, OpenCl.CL_PLATFORM_NAME);
                long[] ids = OpenCl.devices(platform);
                names.add(name + " " + OpenCl.platformInfo(platform, OpenCl.CL_PLATFORM_VERSION) + " (" + ids.length + " devices)");
                for (long id : ids) {
                    found.add(new OpenClDevice(found.size(), platform, id, name));
                }
            }
        } catch (RuntimeException e) {
            found.forEach(OpenClDevice::close);
            throw new OpenClUnavailableException("the OpenCL devices could not be opened: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new OpenClUnavailableException("no OpenCL platform has a device (platforms: " + String.join(", ", names) + ")", null);
        }
        return new OpenClPlatform(found, library.source().orElse("") + ": " + String.join(", ", names));
    }

    /** @return the devices, in id order */
    public List<OpenClDevice> devices() {
        return devices;
    }

    /** @param id an xsched device id @return the device, if it is one of these */
    public Optional<OpenClDevice> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** @return the loader and the platforms in words */
    public String describe() {
        return describe;
    }

    /** @return whether {@link #close()} was called */
    public boolean closed() {
        return closed;
    }

    /**
     * Releases the contexts this object holds. Programs, kernels and buffers made on its devices
     * keep their context alive (OpenCL reference counting) until the application closes them.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            devices.forEach(OpenClDevice::close);
        }
    }
}
