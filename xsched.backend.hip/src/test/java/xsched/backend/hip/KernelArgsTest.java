package xsched.backend.hip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument capture: values copied at once, laid out at their natural alignment, pointed at for the runtime. */
class KernelArgsTest {
    private final HipDevice gpu = TestObjects.device(0);

    @Test
    void laysValuesOutAtTheirNaturalAlignment() {
        HipBuffer buffer = TestObjects.buffer(gpu, 0x7f00_0000_1000L, 4096);
        KernelArgs args = KernelArgs.builder().arg((byte) 7).arg(3).arg(buffer).arg((short) 2).arg(2.5).arg(1.5f).build();
        assertThat(args.count()).isEqualTo(6);
        assertThat(new int[] {args.offset(0), args.offset(1), args.offset(2), args.offset(3), args.offset(4), args.offset(5)})
                .containsExactly(0, 4, 8, 16, 24, 32);
        assertThat(args.packedSize()).isEqualTo(36);
        assertThat(args.describe()).isEqualTo("[byte(1), int(4), pointer(8), short(2), double(8), float(4)]");
        ByteBuffer bytes = ByteBuffer.wrap(args.bytes()).order(ByteOrder.nativeOrder());
        assertThat(bytes.get(0)).isEqualTo((byte) 7);
        assertThat(bytes.getInt(4)).isEqualTo(3);
        assertThat(bytes.getLong(8)).isEqualTo(0x7f00_0000_1000L);
        assertThat(bytes.getDouble(24)).isEqualTo(2.5);
        assertThat(args.buffers()).containsExactly(buffer);
    }

    @Test
    void copiesEachValueWhenItIsAdded() {
        byte[] struct = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        KernelArgs.Builder builder = KernelArgs.builder().arg(1).struct(struct, 16);
        struct[0] = 99;
        KernelArgs args = builder.build();
        assertThat(args.offset(1)).as("16-byte aligned").isEqualTo(16);
        assertThat(args.bytes()[16]).isEqualTo((byte) 1);
        byte[] out = args.bytes();
        out[16] = 42;
        assertThat(args.bytes()[16]).as("bytes() is a copy").isEqualTo((byte) 1);
    }

    @Test
    void growsPastItsFirstBlock() {
        KernelArgs.Builder builder = KernelArgs.builder();
        for (int i = 0; i < 40; i++) {
            builder.arg((long) i);
        }
        KernelArgs args = builder.build();
        assertThat(args.packedSize()).isEqualTo(320);
        assertThat(ByteBuffer.wrap(args.bytes()).order(ByteOrder.nativeOrder()).getLong(39 * 8)).isEqualTo(39);
    }

    @Test
    void writesTheKernelParamsArrayOfPointersToEachValue() {
        KernelArgs args = KernelArgs.of(5, 6L, 0.25f);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(args.packedSize(), 16);
            MemorySegment pointers = arena.allocate(ValueLayout.JAVA_LONG, args.count());
            args.writeTo(values, pointers);
            MemorySegment all = MemorySegment.ofAddress(values.address()).reinterpret(args.packedSize());
            assertThat(pointers.getAtIndex(ValueLayout.JAVA_LONG, 0)).isEqualTo(values.address());
            assertThat(pointers.getAtIndex(ValueLayout.JAVA_LONG, 1)).isEqualTo(values.address() + 8);
            assertThat(pointers.getAtIndex(ValueLayout.JAVA_LONG, 2)).isEqualTo(values.address() + 16);
            assertThat(all.get(ValueLayout.JAVA_INT, 0)).isEqualTo(5);
            assertThat(all.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(6L);
            assertThat(all.get(ValueLayout.JAVA_FLOAT, 16)).isEqualTo(0.25f);
        }
    }

    @Test
    void refusesWhatIsNoKernelArgument() {
        assertThatThrownBy(() -> KernelArgs.of(1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 is null");
        assertThatThrownBy(() -> KernelArgs.of("text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
        HipBuffer buffer = TestObjects.buffer(gpu, 0x1000, 64);
        assertThatThrownBy(() -> KernelArgs.builder().arg(buffer, 65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the 64-byte buffer");
        assertThatThrownBy(() -> KernelArgs.builder().struct(new byte[4], 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelArgs.builder().struct(new byte[0], 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksCountAndSizesAgainstDeclaredParameters() {
        KernelArgs args = KernelArgs.of(1, 2.0);
        args.checkAgainst("k", new int[] {4, 8}, List.of("by_value(4)", "by_value(8)"));
        assertThatThrownBy(() -> args.checkAgainst("k", new int[] {4}, List.of("by_value(4)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'k' takes 1 parameters [by_value(4)], but 2 arguments were given [int(4), double(8)]");
        assertThatThrownBy(() -> args.checkAgainst("k", new int[] {4, 4}, List.of("by_value(4)", "by_value float(4)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'k' parameter 1 is by_value float(4), 4 bytes, but argument 1 is a 8-byte double");
    }
}
