package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ArgumentBuilderTest {
    record Buf(long address, long bytes) {
    }

    private static ArgumentBuilder<Buf> builder() {
        return new ArgumentBuilder<>(Buf.class, Buf::address, Buf::bytes);
    }

    @Test
    void buffersArePassedAsAddressesAndRemembered() {
        ArgumentBuilder<Buf> args = builder();
        Buf a = new Buf(0x1000, 64);
        Buf b = new Buf(0x2000, 16);
        args.value(7);
        args.buffer(a, 8);
        args.values(b, 2.5f);
        args.value((short) 3);

        PackedArguments packed = args.pack();

        assertThat(packed.describe()).isEqualTo("[int(4), pointer(8), pointer(8), float(4), short(2)]");
        ByteBuffer bytes = ByteBuffer.wrap(packed.bytes()).order(ByteOrder.nativeOrder());
        assertThat(bytes.getLong(packed.offset(1))).isEqualTo(0x1008);
        assertThat(bytes.getLong(packed.offset(2))).isEqualTo(0x2000);
        assertThat(args.buffers()).containsExactly(a, b);
    }

    @Test
    void messagesNameTheBackendsBufferType() {
        assertThatThrownBy(() -> builder().values(1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1 is null; pass a Buf or a number");
        ArgumentBuilder<Buf> args = builder();
        args.struct(new byte[] {1}, 1);
        assertThatThrownBy(() -> args.value("two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 1 is a java.lang.String;");
        assertThatThrownBy(() -> builder().buffer(new Buf(0x1000, 64), 65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset 65 is outside the 64-byte buffer");
        assertThatThrownBy(() -> builder().buffer(null, 0)).isInstanceOf(NullPointerException.class).hasMessage("buffer");
    }
}
