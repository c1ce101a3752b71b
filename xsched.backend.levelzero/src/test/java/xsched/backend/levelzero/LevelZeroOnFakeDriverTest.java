package xsched.backend.levelzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.levelzero.embed.LevelZeroBackends;
import xsched.backend.levelzero.internal.LevelZeroBackend;
import xsched.backend.levelzero.internal.RecordingBundleContext;
import xsched.backend.levelzero.internal.queue.ZeQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;
import xsched.spi.hal.SyncPoint;

/**
 * The backend end to end on the fake driver, through the real loader: device discovery and the
 * structs the driver fills, modules and build logs, kernels and copies through XQueues on an
 * immediate list and on a command queue with lists, a launch the driver refuses, the NPU's missing
 * modules and immediate lists, and contexts that outlive a closed platform.
 */
class LevelZeroOnFakeDriverTest {
    @Test
    void findsTheFakeDevicesAndReadsWhatTheDriverWroteIntoTheStructs() {
        ZeDevice gpu = FakeDriver.platform(ZeDeviceType.GPU).devices().getFirst();
        ZeDevice npu = FakeDriver.platform(ZeDeviceType.VPU).devices().getFirst();

        assertThat(FakeDriver.platform(ZeDeviceType.GPU).devices()).extracting(ZeDevice::id).containsExactly("levelzero:0");
        assertThat(gpu.device().name()).isEqualTo("xsched fake GPU (8086:fa4e, integrated, Level Zero API 1.4, driver 16908291)");
        assertThat(gpu.device().kind()).isEqualTo(DeviceKind.GPU);
        assertThat(gpu.device().maxLevel()).isEqualTo(PreemptLevel.LAUNCH);
        assertThat(gpu.uuid()).isEqualTo("4e000000000000000000000000000000");
        assertThat(gpu.maxTotalGroupSize()).isEqualTo(1024);
        assertThat(gpu.limits().maxGroupSize()).containsExactly(1024, 1024, 64);
        assertThat(gpu.driverExtensions()).containsExactly("ZE_xsched_fake_driver v1.0");
        assertThat(npu.id()).isEqualTo("npu:0");
        assertThat(npu.device().kind()).isEqualTo(DeviceKind.NPU);
        assertThat(npu.device().platform()).isEqualTo("npu");
    }

    @Test
    void buildsModulesPassesBuildFlagsAndRefusesBadSpirvWithTheLog() {
        ZeDevice gpu = FakeDriver.platform(ZeDeviceType.GPU).devices().getFirst();

        assertThatThrownBy(() -> gpu.module(new byte[] {1, 2, 3, 4, 5}, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zeModuleCreate failed: ZE_RESULT_ERROR_MODULE_BUILD_FAILURE (0x70000004)")
                .hasMessageContaining("build log:\nxsched fake driver: the input is not SPIR-V");
        byte[] spirv = TestKernels.spirv();
        assertThat(spirv).as("SPIR-V magic, little-endian").startsWith((byte) 0x03, (byte) 0x02, (byte) 0x23, (byte) 0x07);
        try (ZeModule module = gpu.module(spirv, "-ze-opt-disable")) {
            assertThat(module.buildLog()).isEqualTo("xsched fake driver: build flags ignored");
            assertThat(module.kernelNames()).containsExactly("mark", "vadd", "spin");
            assertThatThrownBy(() -> module.kernel("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the module on levelzero:0 has no kernel named 'nope'; it has [mark, vadd, spin]");
            try (ZeKernel vadd = module.kernel("vadd")) {
                assertThat(vadd.argCount()).isEqualTo(4);
                assertThat(vadd.requiredGroupSize()).isNull();
            }
        }
    }

    @Test
    void addsVectorsThroughAnXQueueOnAnImmediateList() throws Exception {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.GPU);
        Backend backend = LevelZeroBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            assertThat(((ZeQueue) backend.open(platform.devices().getFirst().device())).mode()).isEqualTo("immediate list");
            TestKernels.addVectors(platform.devices().getFirst(), xsched, 10_000);
        } finally {
            ((AutoCloseable) backend).close();
        }
    }

    @Test
    void addsVectorsThroughAnXQueueOnACommandQueueWithLists() throws Exception {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.GPU);
        System.setProperty(ZeQueue.SUBMISSION_PROPERTY, "lists");
        Backend backend = LevelZeroBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build()) {
            assertThat(((ZeQueue) backend.open(platform.devices().getFirst().device())).mode()).isEqualTo("command queue and lists");
            TestKernels.addVectors(platform.devices().getFirst(), xsched, 10_000);
        } finally {
            System.clearProperty(ZeQueue.SUBMISSION_PROPERTY);
            ((AutoCloseable) backend).close();
        }
    }

    @Test
    void aLaunchTheDriverRefusesFailsAloneAndTheQueueGoesOn() throws Exception {
        ZePlatform platform = FakeDriver.platform(ZeDeviceType.GPU);
        ZeDevice gpu = platform.devices().getFirst();
        Backend backend = LevelZeroBackends.over(platform);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
             ZeModule module = gpu.module(TestKernels.spirv(), ""); ZeKernel vadd = module.kernel("vadd");
             ZeBuffer x = gpu.buffer(64); ZeBuffer y = gpu.buffer(64)) {
            XQueue q = xsched.createQueue(gpu.id(), QueueOptions.defaults().withName("refused"));
            long bad = q.submit(vadd.launch(1).arg(x).arg(x).arg(x).arg(16L).build());
            long good = q.submit(MemoryCopy.of(x, 0, y, 0, 64));

            assertThat(q.await(bad, Duration.ofMinutes(2))).isEqualTo(Outcome.FAILED);
            assertThat(q.failure(bad)).hasMessage("zeKernelSetArgumentValue failed: ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_SIZE (0x78000016)");
            assertThat(q.await(good, Duration.ofMinutes(2))).isEqualTo(Outcome.COMPLETED);
        } finally {
            ((AutoCloseable) backend).close();
        }
    }

    @Test
    void blockingWritesAndReadsRoundTripThroughDeviceAndHostMemory() {
        ZeDevice gpu = FakeDriver.platform(ZeDeviceType.GPU).devices().getFirst();
        try (ZeBuffer device = gpu.buffer(400); ZeBuffer host = gpu.hostBuffer(400)) {
            int[] values = new Random(7).ints(100).toArray();
            gpu.write(device, 0, values);
            gpu.write(host, 0, values);

            assertThat(gpu.readInts(device, 0, 100)).containsExactly(values);
            assertThat(gpu.readInts(host, 0, 100)).containsExactly(values);
            assertThat(gpu.readBytes(device, 4, 4)).containsExactly(gpu.readBytes(host, 4, 4));
            assertThatThrownBy(() -> gpu.readInts(device, 0, 101)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bytes [0, 404) are outside the 400-byte buffer");
        }
    }

    @Test
    void theNpuHasNoModulesAndItsQueueFallsBackToACommandQueueWithLists() throws InterruptedException {
        ZeDevice npu = FakeDriver.platform(ZeDeviceType.VPU).devices().getFirst();
        assertThatThrownBy(() -> npu.module(TestKernels.spirv(), "")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("the driver of npu:0 has no modules (zeModuleCreate: ZE_RESULT_ERROR_UNSUPPORTED_FEATURE)")
                .hasMessageContaining("copies only");

        List<ZeQueue> closed = new ArrayList<>();
        ZeQueue queue = ZeQueue.open(npu, closed::add);
        try (ZeBuffer src = npu.hostBuffer(4 * 64); ZeBuffer mid = npu.buffer(4 * 64); ZeBuffer dst = npu.hostBuffer(4 * 64)) {
            assertThat(queue.mode()).isEqualTo("command queue and lists");
            int[] values = new Random(3).ints(64).toArray();
            npu.write(src, 0, values);
            List<SyncPoint> points = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                for (MemoryCopy c : List.of(MemoryCopy.of(src, 4L * i, mid, 4L * i, 4), MemoryCopy.of(mid, 4L * i, dst, 4L * i, 4))) {
                    queue.accept(c);
                    queue.launch(c);
                }
                points.add(queue.record());
            }
            for (SyncPoint p : points) {
                assertThat(p.await()).isTrue();
                p.close();
            }
            assertThat(queue.outstanding()).isZero();
            assertThat(npu.readInts(dst, 0, 64)).containsExactly(values);
        } finally {
            queue.close();
        }
        assertThat(closed).containsExactly(queue);
    }

    @Test
    void aClosedPlatformKeepsTheApplicationsBuffersUntilTheyAreClosed() throws Exception {
        FakeDriver.assumePresent();
        ZePlatform platform = ZePlatform.open(ZeDeviceType.GPU);
        ZeDevice gpu = platform.devices().getFirst();
        ZeBuffer kept = gpu.buffer(16);
        gpu.write(kept, 0, new int[] {1, 2, 3, 4});

        platform.close();

        assertThat(gpu.live()).isTrue();
        assertThat(gpu.readInts(kept, 0, 4)).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> gpu.buffer(16)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("levelzero:0 was closed");
        kept.close();
        assertThat(gpu.live()).isFalse();
    }

    @Test
    void theComponentRegistersTheBackendAndTheDevice() {
        FakeDriver.assumePresent();
        RecordingBundleContext context = new RecordingBundleContext();
        LevelZeroBackend backend = new LevelZeroBackend();
        backend.activate(context.context());
        try {
            assertThat(context.registered()).hasSize(2);
            assertThat(context.registered().get(0)).isSameAs(backend);
            assertThat(context.registered().get(1)).isInstanceOf(ZeDevice.class);
            assertThat(backend.devices()).extracting(d -> d.id()).containsExactly("levelzero:0");
            assertThat(backend.rank()).isEqualTo(LevelZeroBackend.RANK);
            assertThat(backend.absentReason()).isEmpty();
        } finally {
            backend.close();
        }
        assertThat(context.registered()).isEmpty();
    }
}
