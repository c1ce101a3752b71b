package xsched.backend.levelzero;

import java.util.List;
import java.util.Optional;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.embed.LevelZeroBackends;
import xsched.backend.levelzero.internal.LevelZeroBackend;
import xsched.backend.levelzero.internal.RecordingBundleContext;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on {@code levelzero:0} of the fake driver, through the real loader:
 * immediate command lists, barriers between commands, events as sync points. It checks the
 * backend's bookkeeping and its use of the Level Zero API; it says nothing about Intel's drivers.
 */
class LevelZeroConformanceOnFakeDriverTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.GPU);
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return LevelZeroBackends.over(platform);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new ZeMarks(platform.device(device.id()).orElseThrow(), capacity);
            }

            @Override
            public Optional<List<?>> servicesRegisteredWhenAbsent() {
                RecordingBundleContext context = new RecordingBundleContext();
                new LevelZeroBackend(() -> {
                    throw new ZeUnavailableException("the test says there is no Level Zero driver", null);
                }).activate(context.context());
                return Optional.of(context.registered());
            }
        };
    }
}
