package xsched.backend.npu;

import java.util.List;
import java.util.Optional;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.FakeDriver;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZeMarks;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.ZeUnavailableException;
import xsched.backend.levelzero.internal.RecordingBundleContext;
import xsched.backend.npu.embed.NpuBackends;
import xsched.backend.npu.internal.NpuBackend;
import xsched.backend.npu.internal.QueueSuspend;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on {@code npu:0} of the fake driver, through the real loader: the
 * fake NPU has no immediate lists, so its queues are a command queue fed with lists and fences. The
 * build lets this run's fake NPU run the mark kernel ({@code XSCHED_FAKE_ZE_VPU_MODULES=1}); it
 * checks the backend's bookkeeping and API use, nothing about Intel's NPU driver.
 */
class NpuConformanceOnFakeDriverTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.VPU);
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return NpuBackends.over(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new ZeMarks(platform.device(device.id()).orElseThrow(), capacity);
            }

            @Override
            public Optional<List<?>> servicesRegisteredWhenAbsent() {
                RecordingBundleContext context = new RecordingBundleContext();
                new NpuBackend(() -> {
                    throw new ZeUnavailableException("the test says there is no Level Zero driver", null);
                }, QueueSuspend.NONE).activate(context.context());
                return Optional.of(context.registered());
            }
        };
    }
}
