package xsched.backend.fpga.embed;

import xsched.backend.fpga.OpenClPlatform;
import xsched.backend.fpga.internal.FpgaBackend;
import xsched.spi.hal.Backend;

/**
 * The OpenCL backend for an application that embeds xsched without OSGi ({@code
 * xsched.core.embed.EmbeddedXsched}): it opens its own {@link OpenClPlatform} and gives the runtime
 * a backend over it. Under OSGi the bundle registers its backend by itself.
 */
public final class OpenClBackends {
    private OpenClBackends() {
    }

    /**
     * @param platform an open platform; the application closes it after the runtime. Backends made
     *                 over one platform are interchangeable: commands built on its devices run on
     *                 the queues of any of them (a backend swap keeps them valid)
     * @return a level-1 xsched backend over its devices; close it (it is {@link AutoCloseable}) to
     *         close the queues it opened
     */
    public static Backend over(OpenClPlatform platform) {
        return new FpgaBackend(platform);
    }
}
