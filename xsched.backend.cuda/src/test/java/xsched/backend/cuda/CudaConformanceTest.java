package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The backend conformance kit on cuda:0, at the level the GPU offers (stream gates on Hopper);
 * skipped where there is no GPU. Absence is covered without a driver by {@code
 * CudaBackendAbsenceTest}: on a machine with a GPU it cannot be simulated.
 */
@Tag("gpu")
class CudaConformanceTest extends CudaConformance {
    @Override
    CudaPlatform platform() {
        return Gpus.platform();
    }
}
