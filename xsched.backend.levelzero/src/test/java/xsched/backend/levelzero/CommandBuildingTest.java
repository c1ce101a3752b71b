package xsched.backend.levelzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.support.KernelArgument;

/** Launches and copies are checked and captured when built; no driver needed. */
class CommandBuildingTest {
    private final ZeDevice gpu = FakeDevices.gpu("levelzero:0");
    private final ZeBuffer data = FakeDevices.buffer(gpu, ZeBuffer.Kind.DEVICE, 4096);
    private final ZeKernel vadd = FakeDevices.kernel(gpu, "vadd", 4);

    @Test
    void aLaunchCapturesItsGridGroupSizeAndArguments() {
        byte[] raw = {1, 2, 3, 4, 5, 6, 7, 8};
        KernelLaunch launch = vadd.launch(16, 2).groupSize(64, 2).arg(data).arg(42).argBytes(raw).localMemory(256).build();
        raw[0] = 99;

        assertThat(launch.groupCounts()).containsExactly(16, 2, 1);
        assertThat(launch.groupSize()).containsExactly(64, 2, 1);
        assertThat(launch.args()).hasSize(4);
        assertThat(launch.args().get(0)).isEqualTo(new KernelArgument.Buffer<>(data));
        assertThat(((KernelArgument.Scalar<ZeBuffer>) launch.args().get(1)).bytes())
                .isEqualTo(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(42).array());
        assertThat(((KernelArgument.Scalar<ZeBuffer>) launch.args().get(2)).bytes()).as("copied when added").startsWith(1);
        assertThat(launch.args().get(3).size()).isEqualTo(256);
        assertThat(launch.args().get(0).size()).as("a buffer is passed as its 8-byte address").isEqualTo(8);
        assertThat(launch.describe()).isEqualTo("vadd[16, 2, 1]x[64, 2, 1]");
        assertThat(launch.device()).isSameAs(gpu);
    }

    @Test
    void theGroupSizeDefaultsToOneOrToWhatTheKernelRequires() {
        assertThat(FakeDevices.kernel(gpu, "k", 0).launch(1).build().groupSize()).containsExactly(1, 1, 1);
        ZeKernel fixed = FakeDevices.kernel(gpu, "fixed", 0, 32, 1, 1);
        assertThat(fixed.launch(8).build().groupSize()).containsExactly(32, 1, 1);
        assertThatThrownBy(() -> fixed.launch(8).groupSize(64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'fixed' requires group size [32, 1, 1], not [64, 1, 1]");
    }

    @Test
    void gridsAndGroupsBeyondTheDeviceOrOutOfShapeAreRefused() {
        assertThatThrownBy(() -> vadd.launch()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 3 dimensions, not 0");
        assertThatThrownBy(() -> vadd.launch(1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 3 dimensions, not 4");
        assertThatThrownBy(() -> vadd.launch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group counts must be at least 1");
        assertThatThrownBy(() -> vadd.launch(70000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000 groups in dimension x exceed the 65535 levelzero:0 allows");
        assertThatThrownBy(() -> vadd.launch(1).groupSize(512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group size [512, 1, 1] has 512 work-items; levelzero:0 allows 256 per group");
        assertThatThrownBy(() -> vadd.launch(1).groupSize(1, 1, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 64 in dimension z");
    }

    @Test
    void argumentCountsBuffersOfOtherDevicesAndClosedBuffersAreRefused() {
        assertThatThrownBy(() -> vadd.launch(1).arg(data).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'vadd' takes 4 arguments, but 1 were given [buffer]");
        assertThatThrownBy(() -> vadd.launch(1).arg(1).arg(2).arg(3).arg(4).arg(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'vadd' takes 4 arguments; a int(4 bytes) is one too many");
        ZeDevice other = FakeDevices.gpu("levelzero:1");
        ZeBuffer foreign = FakeDevices.buffer(other, ZeBuffer.Kind.DEVICE, 16);
        assertThatThrownBy(() -> vadd.launch(1).arg(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'vadd' runs on levelzero:0 but the buffer is on levelzero:1");
        ZeBuffer gone = FakeDevices.buffer(gpu, ZeBuffer.Kind.DEVICE, 16);
        gone.close();
        assertThatThrownBy(() -> vadd.launch(1).arg(gone)).isInstanceOf(IllegalStateException.class)
                .hasMessage("device buffer of 16 bytes on levelzero:0 was closed");
        assertThatThrownBy(() -> vadd.launch(1).localMemory(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vadd.launch(1).argBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesCheckRangesDevicesAndOverlap() {
        ZeBuffer host = FakeDevices.buffer(gpu, ZeBuffer.Kind.HOST, 100);
        MemoryCopy copy = MemoryCopy.of(host, 10, data, 4000, 90);
        assertThat(copy.bytes()).isEqualTo(90);
        assertThat(copy.describe()).isEqualTo("copy 90 bytes host→device");

        assertThatThrownBy(() -> MemoryCopy.of(host, 10, data, 4000, 97)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes [10, 107) are outside the 100-byte buffer");
        assertThatThrownBy(() -> MemoryCopy.of(host, 0, data, 4090, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes [4090, 4098) are outside the 4096-byte buffer");
        assertThatThrownBy(() -> MemoryCopy.of(host, -1, data, 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryCopy.of(host, 0, data, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a copy moves at least one byte, not 0");
        assertThatThrownBy(() -> MemoryCopy.of(data, 0, data, 8, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the source and destination ranges overlap");
        assertThat(MemoryCopy.of(data, 0, data, 16, 16).bytes()).isEqualTo(16);
        ZeBuffer elsewhere = FakeDevices.buffer(FakeDevices.gpu("levelzero:1"), ZeBuffer.Kind.DEVICE, 100);
        assertThatThrownBy(() -> MemoryCopy.of(host, 0, elsewhere, 0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a copy runs on one device's queue, but the source is on levelzero:0 and the destination on levelzero:1");
    }

    @Test
    void onlyHostBuffersAreOpenToJava() {
        assertThatThrownBy(data::hostSegment).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a device buffer is not host-accessible");
    }

    @Test
    void devicesTakeTheFirstComputeQueueGroupElseACopyGroup() {
        LevelZero.QueueGroup copyOnly = new LevelZero.QueueGroup(0, LevelZero.QUEUE_GROUP_COPY, 2);
        LevelZero.QueueGroup compute = new LevelZero.QueueGroup(1, LevelZero.QUEUE_GROUP_COMPUTE | LevelZero.QUEUE_GROUP_COPY, 4);

        assertThat(ZeDevice.queueOrdinal(List.of(copyOnly, compute))).isEqualTo(1);
        assertThat(ZeDevice.queueOrdinal(List.of(copyOnly))).isZero();
        assertThat(ZeDevice.queueOrdinal(List.of())).isEqualTo(-1);
    }

    @Test
    void deviceTypesMapToPlatformsAndKinds() {
        assertThat(ZeDeviceType.GPU.code()).isEqualTo(1);
        assertThat(ZeDeviceType.GPU.platform()).isEqualTo("levelzero");
        assertThat(ZeDeviceType.GPU.kind()).isEqualTo(DeviceKind.GPU);
        assertThat(ZeDeviceType.VPU.code()).isEqualTo(5);
        assertThat(ZeDeviceType.VPU.platform()).isEqualTo("npu");
        assertThat(ZeDeviceType.VPU.kind()).isEqualTo(DeviceKind.NPU);
        assertThat(ZeDeviceType.nameOf(2)).isEqualTo("CPU");
        assertThat(gpu.device().id()).isEqualTo("levelzero:0");
        assertThat(FakeDevices.vpu("npu:0").device().kind()).isEqualTo(DeviceKind.NPU);
        assertThat(FakeDevices.vpu("npu:0").device().platform()).isEqualTo("npu");
    }

    @Test
    void anNpuWithoutModulesSaysWhatItRunsInstead() {
        assertThat(FakeDevices.vpu("npu:0").noModules(0x78000003)).contains("the driver of npu:0 has no modules")
                .contains("ZE_RESULT_ERROR_UNSUPPORTED_FEATURE").contains("ZE_extension_graph");
    }
}
