package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.LaunchScratch;

class KernelArgsTest {
    private final CudaGpu gpu = FakeGpu.gpu(0);

    @Test
    void valuesSitAtTheirNaturalAlignment() {
        KernelArgs args = KernelArgs.builder().arg((byte) 7).arg(42).arg(1L << 40).arg((short) -3).arg(2.5f).arg(0.125)
                .struct(new byte[] {1, 2, 3}, 16).arg(9).build();

        assertThat(args.count()).isEqualTo(8);
        assertThat(new int[] {args.offset(0), args.offset(1), args.offset(2), args.offset(3), args.offset(4),
                args.offset(5), args.offset(6), args.offset(7)}).containsExactly(0, 4, 8, 16, 20, 24, 32, 36);
        assertThat(args.packedSize()).isEqualTo(40);
        ByteBuffer b = ByteBuffer.wrap(args.bytes()).order(ByteOrder.nativeOrder());
        assertThat(b.get(0)).isEqualTo((byte) 7);
        assertThat(b.getInt(4)).isEqualTo(42);
        assertThat(b.getLong(8)).isEqualTo(1L << 40);
        assertThat(b.getShort(16)).isEqualTo((short) -3);
        assertThat(b.getFloat(20)).isEqualTo(2.5f);
        assertThat(b.getDouble(24)).isEqualTo(0.125);
        assertThat(new byte[] {b.get(32), b.get(33), b.get(34)}).containsExactly(1, 2, 3);
        assertThat(b.getInt(36)).isEqualTo(9);
        assertThat(args.describe()).isEqualTo("[byte(1), int(4), long(8), short(2), float(4), double(8), struct(3), int(4)]");
    }

    @Test
    void valuesAreCapturedWhenAddedNotWhenLaunched() {
        byte[] struct = {1, 2, 3, 4};
        KernelArgs.Builder builder = KernelArgs.builder().struct(struct, 4);
        struct[0] = 99;
        KernelArgs args = builder.build();
        struct[1] = 99;

        assertThat(args.bytes()).containsExactly(1, 2, 3, 4);
        byte[] copy = args.bytes();
        copy[2] = 99;
        assertThat(args.bytes()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aBufferArgumentIsItsAddressPlusOffsetAndIsRemembered() {
        DeviceBuffer buffer = FakeGpu.buffer(gpu, 0x7f00_0000_1000L, 4096);

        KernelArgs args = KernelArgs.builder().arg(buffer).arg(buffer, 256).build();

        ByteBuffer b = ByteBuffer.wrap(args.bytes()).order(ByteOrder.nativeOrder());
        assertThat(b.getLong(0)).isEqualTo(0x7f00_0000_1000L);
        assertThat(b.getLong(8)).isEqualTo(0x7f00_0000_1100L);
        assertThat(args.buffers()).containsExactly(buffer, buffer);
        assertThatThrownBy(() -> KernelArgs.builder().arg(buffer, 4097))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the 4096-byte buffer");
    }

    @Test
    void looselyTypedValuesMapToTheirCTypes() {
        DeviceBuffer buffer = FakeGpu.buffer(gpu, 0x1000, 64);

        KernelArgs args = KernelArgs.of(buffer, 3, 4L, 1.5f, 2.5, (short) 1, (byte) 2, new byte[] {5, 6});

        assertThat(args.describe()).isEqualTo("[pointer(8), int(4), long(8), float(4), double(8), short(2), byte(1), struct(2)]");
        assertThat(args.offset(7)).isEqualTo(48);
        assertThatThrownBy(() -> KernelArgs.of(1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1 is null; pass a DeviceBuffer or a number");
        assertThatThrownBy(() -> KernelArgs.of("text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 0 is a java.lang.String");
    }

    @Test
    void argumentsAreCheckedAgainstTheKernelsParameterSizes() {
        KernelArgs args = KernelArgs.of(FakeGpu.buffer(gpu, 0x1000, 64), 5L);

        args.checkAgainst("k", new int[] {8, 8});
        assertThatThrownBy(() -> args.checkAgainst("k", new int[] {8, 8, 4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'k' takes 3 parameters [8, 8, 4] bytes, but 2 arguments were given [pointer(8), long(8)]");
        assertThatThrownBy(() -> args.checkAgainst("k", new int[] {8, 4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'k' parameter 1 is 4 bytes, but argument 1 is a 8-byte long");
    }

    @Test
    void writeToFillsTheKernelParamsArray() {
        KernelArgs args = KernelArgs.builder().arg(11).arg(22L).arg(33.0f).build();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(64, 16);
            MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, 3);

            args.writeTo(values, pointers);

            long p0 = pointers.getAtIndex(ValueLayout.JAVA_LONG, 0);
            long p1 = pointers.getAtIndex(ValueLayout.JAVA_LONG, 1);
            long p2 = pointers.getAtIndex(ValueLayout.JAVA_LONG, 2);
            assertThat(p0).isEqualTo(values.address());
            assertThat(p1).isEqualTo(values.address() + 8);
            assertThat(p2).isEqualTo(values.address() + 16);
            assertThat(values.get(ValueLayout.JAVA_INT, 0)).isEqualTo(11);
            assertThat(values.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(22L);
            assertThat(values.get(ValueLayout.JAVA_FLOAT, 16)).isEqualTo(33.0f);
        }
    }

    @Test
    void theLaunchScratchGrowsForLongArgumentLists() {
        KernelArgs.Builder builder = KernelArgs.builder();
        for (int i = 0; i < 700; i++) {
            builder.arg((long) i);
        }
        KernelArgs args = builder.build();
        try (LaunchScratch scratch = new LaunchScratch()) {
            MemorySegment params = scratch.params(args);

            assertThat(params.byteSize()).isGreaterThanOrEqualTo(700 * 8L);
            long last = params.getAtIndex(ValueLayout.JAVA_LONG, 699);
            assertThat(MemorySegment.ofAddress(last).reinterpret(8).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(699L);
        }
    }

    @Test
    void structAlignmentMustBeAPowerOfTwoUpTo16() {
        assertThatThrownBy(() -> KernelArgs.builder().struct(new byte[4], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alignment must be");
        assertThatThrownBy(() -> KernelArgs.builder().struct(new byte[0], 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one byte");
        assertThat(KernelArgs.none().count()).isZero();
    }
}
