package xsched.backend.levelzero;

import org.junit.jupiter.api.Tag;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.embed.LevelZeroBackends;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/** The backend conformance kit on the first Intel GPU; skipped where there is none. Not yet run: no Intel GPU was available. */
@Tag("gpu")
class LevelZeroConformanceOnIntelGpuTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        ZePlatform platform = IntelDevices.platform(ZeDeviceType.GPU);
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return LevelZeroBackends.over(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new ZeMarks(platform.device(device.id()).orElseThrow(), capacity);
            }
        };
    }
}
