package xsched.backend.levelzero.embed;

import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.internal.LevelZeroBackend;
import xsched.spi.hal.Backend;

/**
 * The Level Zero GPU backend for an application that embeds xsched without OSGi ({@code
 * xsched.core.embed.EmbeddedXsched}): it opens its own {@link ZePlatform} of {@link ZeDeviceType#GPU}
 * devices and gives the runtime a backend over it. Under OSGi the bundle registers its backend by itself.
 */
public final class LevelZeroBackends {
    private LevelZeroBackends() {
    }

    /**
     * @param platform an open platform of GPUs; the application closes it after the runtime. Backends
     *                 made over one platform are interchangeable: commands built on its devices run on
     *                 the queues of any of them (a backend swap keeps them valid)
     * @return a level-1 xsched backend over its devices; close it (it is {@link AutoCloseable}) to
     *         close the queues it opened
     * @throws IllegalArgumentException when the platform's devices are not GPUs
     */
    public static Backend over(ZePlatform platform) {
        return new LevelZeroBackend(platform);
    }
}
