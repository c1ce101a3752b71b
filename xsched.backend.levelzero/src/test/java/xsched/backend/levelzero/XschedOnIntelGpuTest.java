package xsched.backend.levelzero;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.levelzero.embed.LevelZeroBackends;
import xsched.backend.levelzero.internal.queue.ZeQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/**
 * Real kernels through xsched queues on the first Intel GPU (Intel's Level Zero driver), checked
 * against the CPU; skipped where there is none. Not yet run: no Intel GPU was available.
 */
@Tag("gpu")
class XschedOnIntelGpuTest {
    @Test
    void addsVectorsThroughAnXQueue() throws Exception {
        ZePlatform platform = IntelDevices.platform(ZeDeviceType.GPU);
        Backend backend = LevelZeroBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            System.out.println("[levelzero tests] queue mode on " + platform.devices().getFirst().id() + ": "
                    + ((ZeQueue) backend.open(platform.devices().getFirst().device())).mode());
            TestKernels.addVectors(platform.devices().getFirst(), xsched, 100_000);
        } finally {
            ((AutoCloseable) backend).close();
        }
    }

    @Test
    void aLaunchTheDriverRefusesFailsAloneAndTheQueueGoesOn() throws Exception {
        ZePlatform platform = IntelDevices.platform(ZeDeviceType.GPU);
        ZeDevice gpu = platform.devices().getFirst();
        Backend backend = LevelZeroBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
             ZeModule module = gpu.module(TestKernels.spirv(), ""); ZeKernel vadd = module.kernel("vadd");
             ZeBuffer x = gpu.buffer(64); ZeBuffer y = gpu.buffer(64)) {
            XQueue q = xsched.createQueue(gpu.id(), QueueOptions.defaults().withName("refused"));
            long bad = q.submit(vadd.launch(1).arg(x).arg(x).arg(x).arg(16L).build());
            long good = q.submit(MemoryCopy.of(x, 0, y, 0, 64));

            assertThat(q.await(bad, Duration.ofMinutes(2))).isEqualTo(Outcome.FAILED);
            System.out.println("[levelzero tests] refused launch on " + gpu.id() + ": " + q.failure(bad).getMessage());
            assertThat(q.await(good, Duration.ofMinutes(2))).isEqualTo(Outcome.COMPLETED);
        } finally {
            ((AutoCloseable) backend).close();
        }
    }
}
