package xsched.backend.npu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.levelzero.FakeDriver;
import xsched.backend.levelzero.MemoryCopy;
import xsched.backend.levelzero.ZeBuffer;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.internal.ErrCapture;
import xsched.backend.levelzero.internal.RecordingBundleContext;
import xsched.backend.levelzero.internal.queue.ZeQueue;
import xsched.backend.npu.embed.NpuBackends;
import xsched.backend.npu.internal.NpuBackend;
import xsched.backend.npu.internal.QueueSuspend;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/** The NPU backend on the fake driver's NPU, through the real loader: registration, queues, copies, the level-2 probe. */
class NpuOnFakeDriverTest {
    @Test
    void theComponentRegistersTheNpuAndItsDeviceAndSaysWhyItStaysAtLevelOne() {
        FakeDriver.assumePresent();
        RecordingBundleContext context = new RecordingBundleContext();
        NpuBackend backend = new NpuBackend();

        List<String> log = ErrCapture.lines(() -> backend.activate(context.context()));
        try {
            assertThat(context.registered()).hasSize(2);
            assertThat(context.registered().get(0)).isSameAs(backend);
            assertThat(context.registered().get(1)).isInstanceOfSatisfying(ZeDevice.class, d -> assertThat(d.id()).isEqualTo("npu:0"));
            assertThat(backend.devices()).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo("npu:0");
                assertThat(d.platform()).isEqualTo("npu");
                assertThat(d.kind()).isEqualTo(DeviceKind.NPU);
                assertThat(d.maxLevel()).isEqualTo(PreemptLevel.LAUNCH);
                assertThat(d.name()).startsWith("xsched fake NPU (8086:fa5e");
            });
            assertThat(backend.rank()).isEqualTo(NpuBackend.RANK);
            assertThat(log).anyMatch(l -> l.contains("npu:0: driver extensions [ZE_xsched_fake_driver v1.0]"));
            assertThat(log).anyMatch(l -> l.contains("npu:0: level 1; no hardware-assisted level 2: Level Zero (loader 1.8.12"));
        } finally {
            backend.close();
        }
        assertThat(context.registered()).isEmpty();
    }

    @Test
    void aDriverThatOffersQueueSuspendIsLoggedButNotUsedYet() {
        FakeDriver.assumePresent();
        QueueSuspend.Control unused = new QueueSuspend.Control() {
            @Override
            public void suspend(ZeQueue queue) {
                throw new AssertionError("not used at level 1");
            }

            @Override
            public void resume(ZeQueue queue) {
                throw new AssertionError("not used at level 1");
            }
        };
        NpuBackend backend = new NpuBackend(() -> ZePlatform.open(ZeDeviceType.VPU),
                device -> new QueueSuspend.Support.Offered("ZE_test_queue_suspend v1.0", unused));

        List<String> log = ErrCapture.lines(() -> backend.activate(new RecordingBundleContext().context()));
        try {
            assertThat(log).anyMatch(l -> l.contains("npu:0: the driver offers queue suspend (ZE_test_queue_suspend v1.0), "
                    + "which this version does not use yet; the device stays at level 1"));
            assertThat(backend.devices()).allMatch(d -> d.maxLevel() == PreemptLevel.LAUNCH);
        } finally {
            backend.close();
        }
    }

    @Test
    void copiesRunThroughAnXQueueOnACommandQueueWithLists() throws Exception {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.VPU);
        ZeDevice npu = platform.devices().getFirst();
        Backend backend = NpuBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
             ZeBuffer in = npu.hostBuffer(4096); ZeBuffer mid = npu.buffer(4096); ZeBuffer out = npu.hostBuffer(4096)) {
            assertThat(((ZeQueue) backend.open(npu.device())).mode()).isEqualTo("command queue and lists");
            byte[] data = new byte[4096];
            new Random(11).nextBytes(data);
            npu.write(in, 0, data);
            XQueue q = xsched.createQueue(npu.id(), QueueOptions.defaults().withName("npu-copies"));
            for (int block = 0; block < 16; block++) {
                q.submit(MemoryCopy.of(in, 256L * block, mid, 256L * block, 256));
                q.submit(MemoryCopy.of(mid, 256L * block, out, 256L * block, 256));
            }
            q.awaitAll();
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertThat(q.outcome(seq)).isEqualTo(Outcome.COMPLETED);
            }
            assertThat(npu.readBytes(out, 0, 4096)).isEqualTo(data);
            System.out.println("[npu tests] 32 copies through an XQueue on " + npu.id() + " (fake driver, command queue and lists)");
        } finally {
            ((AutoCloseable) backend).close();
        }
    }
}
