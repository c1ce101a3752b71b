package xsched.backend.npu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.levelzero.IntelDevices;
import xsched.backend.levelzero.MemoryCopy;
import xsched.backend.levelzero.ZeBuffer;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.internal.queue.ZeQueue;
import xsched.backend.npu.embed.NpuBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/**
 * Copies through an XQueue on the first Intel NPU (Intel's NPU driver), host → device → host, checked
 * byte for byte; skipped where there is none. Not yet run: no Intel NPU was available.
 */
@Tag("npu")
class XschedOnIntelNpuTest {
    @Test
    void copiesRunThroughAnXQueue() throws Exception {
        ZePlatform platform = IntelDevices.platform(ZeDeviceType.VPU);
        ZeDevice npu = platform.devices().getFirst();
        Backend backend = NpuBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
             ZeBuffer in = npu.hostBuffer(1 << 20); ZeBuffer mid = npu.buffer(1 << 20); ZeBuffer out = npu.hostBuffer(1 << 20)) {
            System.out.println("[npu tests] " + npu + ": driver extensions " + npu.driverExtensions() + ", queue mode "
                    + ((ZeQueue) backend.open(npu.device())).mode());
            byte[] data = new byte[1 << 20];
            new Random(5).nextBytes(data);
            npu.write(in, 0, data);
            XQueue q = xsched.createQueue(npu.id(), QueueOptions.defaults().withName("npu-copies"));
            for (int block = 0; block < 64; block++) {
                q.submit(MemoryCopy.of(in, 16384L * block, mid, 16384L * block, 16384));
                q.submit(MemoryCopy.of(mid, 16384L * block, out, 16384L * block, 16384));
            }
            q.awaitAll();
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertThat(q.outcome(seq)).isEqualTo(Outcome.COMPLETED);
            }
            assertThat(npu.readBytes(out, 0, 1 << 20)).isEqualTo(data);
        } finally {
            ((AutoCloseable) backend).close();
        }
    }
}
