package xsched.backend.cuda.embed;

import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.internal.CudaBackend;
import xsched.spi.hal.Backend;

/**
 * The CUDA backend for an application that embeds xsched without OSGi ({@code
 * xsched.core.embed.EmbeddedXsched}): it opens its own {@link CudaPlatform} and gives the runtime a
 * backend over it. Under OSGi the bundle registers its backend by itself.
 */
public final class CudaBackends {
    private CudaBackends() {
    }

    /**
     * @param platform an open platform; the application closes it after the runtime
     * @return an xsched backend over its GPUs: level 2 (stream gates) on GPUs that support it,
     *         unless the system property {@code xsched.cuda.gate} is {@code false}
     */
    public static Backend over(CudaPlatform platform) {
        return new CudaBackend(platform);
    }

    /**
     * @param platform an open platform; the application closes it after the runtime
     * @param gate     whether queues are gated (level 2) on GPUs that support it; false gives level
     *                 1 queues, e.g. to compare both levels side by side in one process
     * @return an xsched backend over its GPUs
     */
    public static Backend over(CudaPlatform platform, boolean gate) {
        return new CudaBackend(platform, gate);
    }
}
