package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;
import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on cuda:0, at the level the GPU offers (stream gates on Hopper);
 * skipped where there is no GPU. Absence is covered without a driver by {@code
 * CudaBackendAbsenceTest}: on a machine with a GPU it cannot be simulated.
 */
@Tag("gpu")
class CudaConformanceTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        CudaPlatform platform = Gpus.platform();
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return CudaBackends.over(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                CudaGpu gpu = platform.gpus().stream().filter(g -> g.id().equals(device.id())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no " + device.id() + " on the platform"));
                return new CudaMarks(gpu, capacity, preemptibleMarks());
            }
        };
    }

    /** @return whether the marks are loaded preemptible (rewritten by the PTX guardian) */
    protected boolean preemptibleMarks() {
        return false;
    }
}
