package xsched.backend.hip;

import java.util.List;
import java.util.Optional;
import xsched.api.XpuDevice;
import xsched.backend.hip.embed.HipBackends;
import xsched.backend.hip.internal.HipBackend;
import xsched.backend.hip.internal.RecordingBundleContext;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/** The backend conformance kit on the first AMD GPU; skipped, with the reason, where there is none (CI). */
class HipConformanceTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        HipPlatform platform = Gpus.platform();
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return HipBackends.over(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new HipMarks(platform.device(device.id()).orElseThrow(), capacity);
            }

            @Override
            public Optional<List<?>> servicesRegisteredWhenAbsent() {
                RecordingBundleContext context = new RecordingBundleContext();
                new HipBackend(() -> {
                    throw new HipUnavailableException("the test says there is no HIP runtime", null);
                }).activate(context.context());
                return Optional.of(context.registered());
            }
        };
    }
}
