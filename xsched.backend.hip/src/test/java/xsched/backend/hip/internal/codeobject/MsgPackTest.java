package xsched.backend.hip.internal.codeobject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MessagePack subset the AMDGPU metadata uses. */
class MsgPackTest {
    private static Object read(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return MsgPack.read(ByteBuffer.wrap(b));
    }

    @Test
    void decodesScalars() {
        assertThat(read(0x05)).isEqualTo(5L);
        assertThat(read(0xFF)).isEqualTo(-1L);
        assertThat(read(0xCC, 0xC8)).isEqualTo(200L);
        assertThat(read(0xCD, 0x01, 0x00)).isEqualTo(256L);
        assertThat(read(0xCE, 0xFF, 0xFF, 0xFF, 0xFF)).isEqualTo(4294967295L);
        assertThat(read(0xD0, 0x80)).isEqualTo(-128L);
        assertThat(read(0xC3)).isEqualTo(true);
        assertThat(read(0xC2)).isEqualTo(false);
        assertThat(read(0xC0)).isNull();
        assertThat(read(0xA3, 'a', 'b', 'c')).isEqualTo("abc");
        assertThat(read(0xD9, 0x02, 'h', 'i')).isEqualTo("hi");
        assertThat(read(0xCB, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0)).isEqualTo(1.0);
    }

    @Test
    void decodesNestedMapsAndArrays() {
        // {".args": [1, "x"], ".size": 8}
        Object v = read(0x82, 0xA5, '.', 'a', 'r', 'g', 's', 0x92, 0x01, 0xA1, 'x', 0xA5, '.', 's', 'i', 'z', 'e', 0x08);
        assertThat(v).isEqualTo(Map.of(".args", List.of(1L, "x"), ".size", 8L));
        assertThat(read(0xDC, 0x00, 0x02, 0x01, 0x02)).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void refusesMalformedInput() {
        assertThatThrownBy(() -> read(0xDB, 0x7F, 0xFF, 0xFF, 0xFF, 'a')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past");
        assertThatThrownBy(() -> read(0x92, 0x01)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends");
        assertThatThrownBy(() -> read(0xC1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0xc1");
        int[] deep = new int[40];
        java.util.Arrays.fill(deep, 0x91);
        assertThatThrownBy(() -> read(deep)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deeper");
    }
}
