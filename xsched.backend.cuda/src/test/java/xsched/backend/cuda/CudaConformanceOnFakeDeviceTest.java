package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.cuda.internal.ffm.CudaLibrary;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on the fake CUDA device ({@link FakeCudaDevice}), so the real CUDA
 * backend's queues, event sync points, launch path and error handling are checked in CI, where
 * there is no GPU. The fake runs each stream's operations in order as soon as they can run, and
 * runs the kit's {@code mark} kernel as {@code conformance/marks.cu} defines it. Level 1 here,
 * level 2 (stream gates: the fake holds a stream behind a wait for a word not yet written) in
 * {@link GatedConformanceOnFakeDeviceTest}. Runs in a JVM of its own ({@code fake-device} tag: the
 * pom's {@code fake-device-test} execution points {@value CudaLibrary#PATH_PROPERTY} at the fake).
 */
@Tag("fake-device")
class CudaConformanceOnFakeDeviceTest extends CudaConformance {
    @Override
    CudaPlatform platform() {
        return FakeCudaDevice.platform();
    }

    @Override
    Backend backend(CudaPlatform platform) {
        return CudaBackends.over(platform, gates());
    }

    /** @return whether queues are gated (level 2, stream gates) where the device supports it; level 1 otherwise */
    boolean gates() {
        return false;
    }
}
