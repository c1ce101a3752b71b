package xsched.backend.npu.embed;

import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.npu.internal.NpuBackend;
import xsched.spi.hal.Backend;

/**
 * The Intel NPU backend for an application that embeds xsched without OSGi ({@code
 * xsched.core.embed.EmbeddedXsched}): open a {@link ZePlatform} of {@link ZeDeviceType#VPU} devices
 * and give the runtime a backend over it. Devices, buffers and commands are those of {@code
 * xsched.backend.levelzero}. Under OSGi the bundle registers its backend by itself.
 */
public final class NpuBackends {
    private NpuBackends() {
    }

    /**
     * @param platform an open platform of NPUs; the application closes it after the runtime. Backends
     *                 made over one platform are interchangeable (a backend swap keeps commands valid)
     * @return a level-1 xsched backend over its devices; close it (it is {@link AutoCloseable}) to
     *         close the queues it opened
     * @throws IllegalArgumentException when the platform's devices are not NPUs
     */
    public static Backend over(ZePlatform platform) {
        return new NpuBackend(platform);
    }
}
