package xsched.backend.hip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Copies and memsets: ranges, host memory rules and what is captured when the command is built. */
class MemoryCommandsTest {
    private final HipDevice gpu = TestObjects.device(0);
    private final HipBuffer buffer = TestObjects.buffer(gpu, 0x4000, 1024);

    @Test
    void aHostToDeviceCopyTakesTheArrayWhenBuilt() {
        int[] values = {1, 2, 3, 4};
        MemoryCopy copy = MemoryCopy.hostToDevice(values, buffer, 16);
        values[0] = 99;
        assertThat(copy.host().toArray(ValueLayout.JAVA_INT)).containsExactly(1, 2, 3, 4);
        assertThat(copy.direction()).isEqualTo(MemoryCopy.Direction.HOST_TO_DEVICE);
        assertThat(copy.destinationOffset()).isEqualTo(16);
        assertThat(copy.byteCount()).isEqualTo(16);
        assertThat(copy.describe()).isEqualTo("copy 16 B host→hip:0");
        assertThatThrownBy(copy::ints).isInstanceOf(IllegalStateException.class).hasMessageContaining("only a device-to-host copy");
    }

    @Test
    void aDeviceToHostCopyOwnsItsResultMemory() {
        MemoryCopy read = MemoryCopy.deviceToHost(buffer, 8, 12);
        assertThat(read.host().isNative()).isTrue();
        assertThat(read.host().byteSize()).isEqualTo(12);
        assertThat(read.ints()).hasSize(3);
        assertThat(read.source()).isSameAs(buffer);
        assertThat(read.sourceOffset()).isEqualTo(8);
    }

    @Test
    void refusesHeapMemoryAndRangesOutsideTheBuffer() {
        assertThatThrownBy(() -> MemoryCopy.hostToDevice(MemorySegment.ofArray(new int[4]), buffer, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Java heap memory");
        assertThatThrownBy(() -> MemoryCopy.hostToDevice(new byte[16], buffer, 1016))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the destination range [1016, 1016+16) is outside the 1024-byte buffer on hip:0");
        assertThatThrownBy(() -> MemoryCopy.deviceToHost(buffer, -1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryCopy.deviceToHost(buffer, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment big = arena.allocate(2048);
            assertThatThrownBy(() -> MemoryCopy.deviceToHost(buffer, 0, big)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("source range");
        }
    }

    @Test
    void aDeviceCopyStaysOnOneDevice() {
        HipBuffer other = TestObjects.buffer(gpu, 0x8000, 512);
        MemoryCopy copy = MemoryCopy.deviceToDevice(buffer, 0, other, 256, 256);
        assertThat(copy.describe()).isEqualTo("copy 256 B on hip:0");
        HipBuffer remote = TestObjects.buffer(TestObjects.device(1), 0x8000, 512);
        assertThatThrownBy(() -> MemoryCopy.deviceToDevice(buffer, 0, remote, 0, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source is on hip:0 and the destination on hip:1");
        assertThatThrownBy(() -> MemoryCopy.deviceToDevice(buffer, 0, other, 300, 256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memsetsCheckAlignmentAndRange() {
        MemorySet words = MemorySet.int32(buffer, 8, 0xCAFE, 4);
        assertThat(words.words()).isTrue();
        assertThat(words.count()).isEqualTo(4);
        assertThat(MemorySet.float32(buffer, 1.5f).value()).isEqualTo(Float.floatToRawIntBits(1.5f));
        assertThat(MemorySet.float32(buffer, 1.5f).count()).isEqualTo(256);
        assertThat(MemorySet.int8(buffer, 3, (byte) 7, 1021).describe()).isEqualTo("memset8 1021 B on hip:0");
        assertThatThrownBy(() -> MemorySet.int32(buffer, 2, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4-byte aligned");
        assertThatThrownBy(() -> MemorySet.int32(buffer, 0, 0, 257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemorySet.int8(buffer, 0, (byte) 0, 1025)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemorySet.float32(TestObjects.buffer(gpu, 0, 6), 0f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole floats");
    }
}
