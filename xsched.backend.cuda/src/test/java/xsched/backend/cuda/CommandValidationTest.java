package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import xsched.spi.hal.HwCommand;

/** Everything a command checks before any driver call: these messages are what a user sees. */
class CommandValidationTest {
    private final CudaGpu gpu0 = FakeGpu.gpu(0);
    private final CudaGpu gpu1 = FakeGpu.gpu(1);
    private final DeviceBuffer a = FakeGpu.buffer(gpu0, 0x10_0000, 1024);
    private final DeviceBuffer b = FakeGpu.buffer(gpu0, 0x20_0000, 1024);
    private final DeviceBuffer elsewhere = FakeGpu.buffer(gpu1, 0x30_0000, 1024);
    private final CudaKernel add = FakeGpu.kernel(gpu0, "vector_add", 8, 8, 8, 4);

    @Test
    void aLaunchWhoseArgumentsMatchTheKernelIsBuiltAndDescribed() {
        KernelLaunch launch = add.launch(Dim3.of(4), Dim3.of(256)).arg(a).arg(b).arg(b).arg(256).build();

        assertThat(launch.describe()).isEqualTo("vector_add<<<(4,1,1),(256,1,1)>>>");
        assertThat(launch.gpu()).isSameAs(gpu0);
        assertThat(launch.args().count()).isEqualTo(4);
        assertThat(launch.failure()).isNull();
        assertThat(add.launch(Dim3.of(1), Dim3.of(1)).sharedMemory(128).arg(a).arg(a).arg(a).arg(1).build().describe())
                .isEqualTo("vector_add<<<(1,1,1),(1,1,1),128>>>");
    }

    @Test
    void aLaunchWithTheWrongArgumentsIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> add.launch(Dim3.of(1), Dim3.of(1), a, b, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 4 parameters");
        assertThatThrownBy(() -> add.launch(Dim3.of(1), Dim3.of(1), a, b, b, 256L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'vector_add' parameter 3 is 4 bytes, but argument 3 is a 8-byte long");
        assertThatThrownBy(() -> add.launch(Dim3.of(1), Dim3.of(1), a, b, elsewhere, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a buffer on cuda:1");
        assertThatThrownBy(() -> add.launch(Dim3.of(1), Dim3.of(1)).sharedMemory(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutParameterInfoTheCallersTypesDecide() {
        CudaKernel unknown = FakeGpu.kernel(gpu0, "old_driver", (int[]) null);

        assertThat(unknown.parameterSizes()).isEmpty();
        assertThat(unknown.launch(Dim3.of(1), Dim3.of(1), a, 1L).args().describe()).isEqualTo("[pointer(8), long(8)]");
        assertThat(add.parameterSizes()).contains(java.util.List.of(8, 8, 8, 4));
    }

    @Test
    void dimensionsArePositiveAndCoveringRoundsUp() {
        assertThatThrownBy(() -> Dim3.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThat(Dim3.covering(1000, 256)).isEqualTo(Dim3.of(4));
        assertThat(Dim3.covering(1024, 256)).isEqualTo(Dim3.of(4));
        assertThat(Dim3.of(2, 3, 4).volume()).isEqualTo(24);
        assertThatThrownBy(() -> Dim3.covering(1L << 50, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than a grid holds");
    }

    @Test
    void anAsyncCopyRefusesJavaHeapMemory() {
        assertThatThrownBy(() -> MemoryCopy.hostToDevice(MemorySegment.ofArray(new float[4]), a, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be native memory").hasMessageContaining("the heap may move");
        assertThatThrownBy(() -> MemoryCopy.deviceToHost(a, 0, MemorySegment.ofArray(new int[4])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be native memory");
    }

    @Test
    void copiesStayInsideTheirBuffers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(512);

            assertThat(MemoryCopy.hostToDevice(host, a, 512).describe()).isEqualTo("copy host to device 512 B");
            assertThatThrownBy(() -> MemoryCopy.hostToDevice(host, a, 513))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the destination range [513, 513 + 512) lies outside the 1024-byte buffer");
            assertThatThrownBy(() -> MemoryCopy.deviceToHost(a, -1, host)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MemoryCopy.deviceToDevice(a, 0, b, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 byte");
            assertThatThrownBy(() -> MemoryCopy.deviceToDevice(a, 0, elsewhere, 0, 8))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on one GPU, not cuda:0 and cuda:1");
            assertThat(MemoryCopy.deviceToDevice(a, 1000, b, 0, 24).direction()).isEqualTo(MemoryCopy.Direction.DEVICE_TO_DEVICE);
        }
    }

    @Test
    void aCopyWhoseHostMemoryWasFreedCannotBeSubmitted() {
        MemoryCopy copy;
        try (Arena arena = Arena.ofConfined()) {
            copy = MemoryCopy.hostToDevice(arena.allocate(64), a, 0);
        }
        assertThatThrownBy(() -> CudaCommand.admit(copy, gpu0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host memory").hasMessageContaining("was freed");
    }

    @Test
    void memsetsAreAlignedAndInRange() {
        assertThat(MemorySet.int32(a, 8, 1, 254).describe()).isEqualTo("memset32 254 words");
        assertThatThrownBy(() -> MemorySet.int32(a, 2, 1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4-byte aligned");
        assertThatThrownBy(() -> MemorySet.int32(a, 0, 1, 257)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the 1024-byte buffer");
        assertThat(MemorySet.float32(a, 1.0f).describe()).isEqualTo("memset32 256 words");
        assertThat(MemorySet.int8(a, 1, (byte) 0, 1023).describe()).isEqualTo("memset8 1023 B");
        assertThatThrownBy(() -> MemorySet.float32(FakeGpu.buffer(gpu0, 0x1000, 6), 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole floats");
    }

    @Test
    void aQueueAdmitsOnlyItsOwnGpusCommandsAndEachOnce() {
        HwCommand foreign = new HwCommand() {
        };
        KernelLaunch launch = add.launch(Dim3.of(1), Dim3.of(1), a, a, a, 1);
        EventRecord record = EventRecord.of(FakeGpu.event(gpu0));

        assertThatThrownBy(() -> CudaCommand.admit(foreign, gpu0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a CUDA queue runs commands built by xsched.backend.cuda")
                .hasMessageContaining("KernelLaunch");
        assertThatThrownBy(() -> CudaCommand.admit(null, gpu0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("not null");
        assertThatThrownBy(() -> CudaCommand.admit(launch, gpu1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'vector_add<<<(1,1,1),(1,1,1)>>>' was built for cuda:0 but this queue runs on cuda:1");
        assertThat(CudaCommand.admit(launch, gpu0)).isSameAs(launch);
        assertThatThrownBy(() -> CudaCommand.admit(launch, gpu0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already submitted; build a new one");
        assertThat(CudaCommand.admit(record, gpu0)).isSameAs(record);
        assertThat(EventWait.of(FakeGpu.event(gpu0)).describe()).startsWith("wait CudaEvent[cuda:0");
    }

    @Test
    void commandsBuiltWithAnotherPlatformsObjectsOfTheSameDeviceAndContextAreAdmitted() {
        CudaGpu successor = FakeGpu.gpu(0);
        DeviceBuffer fresh = FakeGpu.buffer(successor, 0x40_0000, 1024);
        KernelLaunch mixed = add.launch(Dim3.of(1), Dim3.of(1), a, b, fresh, 1);
        MemoryCopy across = MemoryCopy.deviceToDevice(a, 0, fresh, 0, 8);
        EventRecord record = EventRecord.of(FakeGpu.event(gpu0));

        assertThat(successor).isNotSameAs(gpu0);
        assertThat(successor.sharesContextWith(gpu0)).isTrue();
        assertThat(CudaCommand.admit(mixed, successor)).isSameAs(mixed);
        assertThat(CudaCommand.admit(across, successor)).isSameAs(across);
        assertThat(CudaCommand.admit(record, successor)).isSameAs(record);
        assertThat(CudaCommand.forQueueOn(mixed, successor)).as("launch checks again, without the once-only rule").isSameAs(mixed);
    }

    @Test
    void commandsForAnotherDeviceOrAnotherPrimaryContextAreRefused() {
        CudaGpu recreated = new CudaGpu(0, 0, 0xbeef, "Fake GPU 0", 9, 0, 132, 80L << 30, HostWait.AUTO);
        MemorySet set = MemorySet.int8(a, 0, (byte) 1, 1);

        assertThat(recreated.sharesContextWith(gpu0)).isFalse();
        assertThatThrownBy(() -> CudaCommand.admit(set, recreated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'memset8 1 B' was built in another primary context of cuda:0 (one released since, "
                        + "with everything made in it); build it again with this backend's resources");
        assertThatThrownBy(() -> CudaCommand.forQueueOn(set, gpu1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'memset8 1 B' was built for cuda:0 but this queue runs on cuda:1");
        assertThatThrownBy(() -> FakeGpu.kernel(recreated, "vector_add", 8, 8, 8, 4).launch(Dim3.of(1), Dim3.of(1), a, a, a, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'vector_add' runs on cuda:0 but an argument is a buffer of another primary context of cuda:0");
        assertThatThrownBy(() -> MemoryCopy.deviceToDevice(a, 0, FakeGpu.buffer(recreated, 0x50_0000, 64), 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in one primary context of cuda:0");
        assertThatThrownBy(() -> CudaCommand.forQueueOn(new HwCommand() {
        }, gpu0)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("a CUDA queue runs commands built by");
    }

    @Test
    void theFirstFailureOfACommandIsKept() {
        MemorySet set = MemorySet.int8(a, 0, (byte) 1, 1);
        RuntimeException first = new RuntimeException("first");

        set.fail(first);
        set.fail(new RuntimeException("second"));

        assertThat(set.failure()).isSameAs(first);
    }

    @Test
    void theDeviceIsLevelOneGpuNamedByOrdinal() {
        assertThat(gpu1.id()).isEqualTo("cuda:1");
        assertThat(gpu1.device().platform()).isEqualTo("cuda");
        assertThat(gpu1.device().kind()).isEqualTo(xsched.api.DeviceKind.GPU);
        assertThat(gpu1.device().maxLevel()).isEqualTo(xsched.api.PreemptLevel.LAUNCH);
        assertThat(gpu1.computeCapability()).isEqualTo("9.0");
        assertThat(gpu1).hasToString("cuda:1 (Fake GPU 1, sm_90, 132 SMs)");
        assertThat(gpu1.eventFlags()).isEqualTo(0x2);
        CudaGpu blocking = new CudaGpu(2, 2, 0, "b", 9, 0, 1, 1, HostWait.BLOCKING);
        assertThat(blocking.eventFlags()).isEqualTo(0x3);
    }
}
