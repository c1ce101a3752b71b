package xsched.backend.fpga;

import java.util.Optional;
import java.util.List;
import xsched.api.XpuDevice;
import xsched.backend.fpga.embed.OpenClBackends;
import xsched.backend.fpga.internal.RecordingBundleContext;
import xsched.backend.fpga.internal.FpgaBackend;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on the first OpenCL device (PoCL in CI; {@link Devices#DEVICE_PROPERTY}
 * picks another); skipped where there is none.
 */
class OpenClConformanceTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        OpenClPlatform platform = Devices.platform();
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return OpenClBackends.over(platform);
            }

            @Override
            public XpuDevice deviceUnderTest(List<XpuDevice> devices) {
                String id = Devices.first().id();
                return devices.stream().filter(d -> d.id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the backend does not list " + id + ": " + devices));
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new OpenClMarks(platform.device(device.id()).orElseThrow(), capacity);
            }

            @Override
            public Optional<List<?>> servicesRegisteredWhenAbsent() {
                RecordingBundleContext context = new RecordingBundleContext();
                new FpgaBackend(() -> {
                    throw new OpenClUnavailableException("the test says there is no OpenCL library", null);
                }).activate(context.context());
                return Optional.of(context.registered());
            }
        };
    }
}
