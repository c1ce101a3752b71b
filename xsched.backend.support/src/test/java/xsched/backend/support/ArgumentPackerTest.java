package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentPackerTest {
    @Test
    void valuesSitAtTheirNaturalAlignmentAndAreCopiedWhenAdded() {
        ArgumentPacker packer = new ArgumentPacker();
        byte[] struct = {1, 2, 3};
        packer.value(0, (byte) 7, "Buf");
        packer.value(1, 42, "Buf");
        packer.value(2, 1L << 40, "Buf");
        packer.struct(struct, 16);
        packer.pointer(0x1000, 64, 16);
        struct[0] = 99;

        PackedArguments packed = packer.pack();

        assertThat(packed.count()).isEqualTo(5);
        assertThat(new int[] {packed.offset(0), packed.offset(1), packed.offset(2), packed.offset(3), packed.offset(4)})
                .containsExactly(0, 4, 8, 16, 24);
        assertThat(packed.packedSize()).isEqualTo(32);
        ByteBuffer b = ByteBuffer.wrap(packed.bytes()).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(4)).isEqualTo(42);
        assertThat(b.get(16)).isEqualTo((byte) 1);
        assertThat(b.getLong(24)).isEqualTo(0x1010);
        assertThat(packed.describe()).isEqualTo("[byte(1), int(4), long(8), struct(3), pointer(8)]");
    }

    @Test
    void manyArgumentsGrowTheArrays() {
        ArgumentPacker packer = new ArgumentPacker();
        for (int i = 0; i < 100; i++) {
            packer.value(i, (long) i, "Buf");
        }
        PackedArguments packed = packer.pack();
        assertThat(packed.count()).isEqualTo(100);
        assertThat(packed.offset(99)).isEqualTo(792);
        assertThat(ByteBuffer.wrap(packed.bytes()).order(ByteOrder.nativeOrder()).getLong(792)).isEqualTo(99);
    }

    @Test
    void badValuesAreRefusedWithTheBackendsBufferType() {
        ArgumentPacker packer = new ArgumentPacker();
        assertThatThrownBy(() -> packer.value(3, null, "HipBuffer")).hasMessage("argument 3 is null; pass a HipBuffer or a number");
        assertThatThrownBy(() -> packer.value(0, "x", "HipBuffer")).hasMessageContaining("argument 0 is a java.lang.String")
                .hasMessageEndingWith("short, byte, HipBuffer or byte[]");
        assertThatThrownBy(() -> packer.pointer(0x1000, 64, 65)).hasMessage("offset 65 is outside the 64-byte buffer");
        assertThatThrownBy(() -> packer.struct(new byte[2], 3)).hasMessageContaining("alignment must be");
        assertThatThrownBy(() -> packer.struct(new byte[0], 4)).hasMessageContaining("at least one byte");
    }

    @Test
    void checkAgainstNamesSizesOrKinds() {
        ArgumentPacker packer = new ArgumentPacker();
        packer.pointer(0x1000, 8, 0);
        packer.value(1, 5L, "Buf");
        PackedArguments packed = packer.pack();

        packed.checkAgainst("k", new int[] {8, 8}, null);
        assertThatThrownBy(() -> packed.checkAgainst("k", new int[] {8, 8, 4}, null))
                .hasMessage("kernel 'k' takes 3 parameters [8, 8, 4] bytes, but 2 arguments were given [pointer(8), long(8)]");
        assertThatThrownBy(() -> packed.checkAgainst("k", new int[] {8, 4}, null))
                .hasMessage("kernel 'k' parameter 1 is 4 bytes, but argument 1 is a 8-byte long");
        assertThatThrownBy(() -> packed.checkAgainst("k", new int[] {8, 4}, List.of("float*", "int")))
                .hasMessage("kernel 'k' parameter 1 is int, 4 bytes, but argument 1 is a 8-byte long");
        assertThatThrownBy(() -> packed.checkAgainst("k", new int[] {8}, List.of("float*")))
                .hasMessage("kernel 'k' takes 1 parameters [float*], but 2 arguments were given [pointer(8), long(8)]");
    }

    @Test
    void writeToFillsAKernelParamsArray() {
        ArgumentPacker packer = new ArgumentPacker();
        packer.value(0, 11, "Buf");
        packer.value(1, 22.0, "Buf");
        PackedArguments packed = packer.pack();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(64, 16);
            MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, 2);

            packed.writeTo(values, pointers);

            assertThat(pointers.getAtIndex(ValueLayout.JAVA_LONG, 1)).isEqualTo(values.address() + 8);
            assertThat(values.get(ValueLayout.JAVA_INT, 0)).isEqualTo(11);
            assertThat(values.get(ValueLayout.JAVA_DOUBLE, 8)).isEqualTo(22.0);
        }
        assertThat(PackedArguments.NONE.count()).isZero();
    }
}
