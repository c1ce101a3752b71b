package xsched.backend.cuda;

import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on a CUDA platform with {@link CudaMarks}: the real GPU ({@link
 * CudaConformanceTest}) or the fake CUDA device ({@link CudaConformanceOnFakeDeviceTest}).
 */
abstract class CudaConformance extends BackendConformance {
    /** @return the platform under test; skips the calling test where there is none */
    abstract CudaPlatform platform();

    /** @return a new backend over the platform; the backend's own choice of level by default */
    Backend backend(CudaPlatform platform) {
        return CudaBackends.over(platform);
    }

    /** @return whether the marks are loaded preemptible (rewritten by the PTX guardian) */
    boolean preemptibleMarks() {
        return false;
    }

    @Override
    protected final ConformanceTarget target() {
        CudaPlatform platform = platform();
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return backend(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                CudaGpu gpu = platform.gpus().stream().filter(g -> g.id().equals(device.id())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no " + device.id() + " on the platform"));
                return new CudaMarks(gpu, capacity, preemptibleMarks());
            }
        };
    }
}
