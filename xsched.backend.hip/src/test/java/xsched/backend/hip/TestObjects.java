package xsched.backend.hip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import xsched.backend.hip.internal.codeobject.CodeObject;

/**
 * HIP objects for tests that need no GPU: devices with made-up limits, modules and kernels described
 * by a committed code object's metadata (but loaded nowhere, handle 0), buffers at made-up
 * addresses. Commands built from them are real commands; nothing here calls the HIP runtime.
 */
public final class TestObjects {
    /** The architectures whose code objects {@code src/test/hip/regenerate.sh} commits. */
    public static final List<String> ARCHS = List.of("gfx900", "gfx906", "gfx908", "gfx90a", "gfx940", "gfx1030", "gfx1100");

    private TestObjects() {
    }

    /** @return a device {@code hip:ordinal} with an MI200's limits: 1024 threads per block, grid x up to 2³¹−1 */
    public static HipDevice device(int ordinal) {
        return new HipDevice(ordinal, "test GPU", 104, 1024, Dim3.of(1024, 1024, 1024), Dim3.of(Integer.MAX_VALUE, 65535, 65535),
                64L << 30, "5.2.21153");
    }

    /** @return the committed code object of {@code kernels.hip} for {@code arch} */
    public static byte[] codeObject(String arch) {
        String name = "/xsched/backend/hip/kernels/kernels-" + arch + ".co";
        try (InputStream in = TestObjects.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name + "; run src/test/hip/regenerate.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a module on {@code device} described by {@code image}, loaded nowhere */
    public static HipModule module(HipDevice device, byte[] image) {
        return new HipModule(device, 0, null, CodeObject.read(image));
    }

    /** @return the kernel {@code name} of a test module, with its signature when the metadata has it */
    public static HipKernel kernel(HipModule module, String name) {
        return new HipKernel(module, name, 0, CodeObject.read(codeObject("gfx90a")).kernel(name).orElse(null));
    }

    /** @return a kernel nothing is known about: launches of it are not checked against parameters */
    public static HipKernel uncheckedKernel(HipModule module, String name) {
        return new HipKernel(module, name, 0, null);
    }

    /** @return a buffer of {@code bytes} at a made-up device address */
    public static HipBuffer buffer(HipDevice device, long address, long bytes) {
        return new HipBuffer(device, address, bytes);
    }
}
