package xsched.backend.hip.embed;

import xsched.backend.hip.HipPlatform;
import xsched.backend.hip.internal.HipBackend;
import xsched.spi.hal.Backend;

/**
 * The HIP backend for an application that embeds xsched without OSGi ({@code
 * xsched.core.embed.EmbeddedXsched}): it opens its own {@link HipPlatform} and gives the runtime a
 * backend over it. Under OSGi the bundle registers its backend by itself.
 */
public final class HipBackends {
    private HipBackends() {
    }

    /**
     * @param platform an open platform
     * @return a level-1 xsched backend over its devices; close it (it is {@link AutoCloseable}) to
     *         close the queues it opened. Backends over any platform are interchangeable: commands
     *         built on a device run on the queues of any backend over the same device ordinal
     */
    public static Backend over(HipPlatform platform) {
        return new HipBackend(platform);
    }
}
