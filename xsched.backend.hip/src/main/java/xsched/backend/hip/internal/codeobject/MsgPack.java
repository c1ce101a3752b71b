package xsched.backend.hip.internal.codeobject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for MessagePack, as much as AMDGPU code object metadata (v3 and later) uses: maps,
 * arrays, strings, integers, booleans, floats, nil, binary; extension values are skipped. Values
 * become {@code Map<String, Object>} (keys as strings), {@code List<Object>}, {@code Long}, {@code
 * Double}, {@code Boolean}, {@code String}, {@code byte[]} or {@code null}. Malformed input
 * throws {@link IllegalArgumentException}.
 */
final class MsgPack {
    private static final int MAX_DEPTH = 32;

    private final ByteBuffer in;

    private MsgPack(ByteBuffer in) {
        this.in = in;
    }

    /** @return the first value encoded in {@code bytes} */
    static Object read(ByteBuffer bytes) {
        try {
            return new MsgPack(bytes.slice()).value(0);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("the metadata ends in the middle of a value", e);
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the metadata nests deeper than " + MAX_DEPTH + " levels");
        }
        int b = in.get() & 0xFF;
        if (b <= 0x7F) {
            return (long) b;
        }
        if (b >= 0xE0) {
            return (long) (byte) b;
        }
        if (b >= 0xA0 && b <= 0xBF) {
            return string(b & 0x1F);
        }
        if (b >= 0x90 && b <= 0x9F) {
            return array(b & 0x0F, depth);
        }
        if (b >= 0x80 && b <= 0x8F) {
            return map(b & 0x0F, depth);
        }
        return switch (b) {
            case 0xC0 -> null;
            case 0xC2 -> false;
            case 0xC3 -> true;
            case 0xC4 -> bytes(in.get() & 0xFF);
            case 0xC5 -> bytes(in.getShort() & 0xFFFF);
            case 0xC6 -> bytes(length(in.getInt()));
            case 0xC7 -> skipExt(in.get() & 0xFF);
            case 0xC8 -> skipExt(in.getShort() & 0xFFFF);
            case 0xC9 -> skipExt(length(in.getInt()));
            case 0xCA -> (double) in.getFloat();
            case 0xCB -> in.getDouble();
            case 0xCC -> (long) (in.get() & 0xFF);
            case 0xCD -> (long) (in.getShort() & 0xFFFF);
            case 0xCE -> in.getInt() & 0xFFFF_FFFFL;
            case 0xCF, 0xD3 -> in.getLong();
            case 0xD0 -> (long) in.get();
            case 0xD1 -> (long) in.getShort();
            case 0xD2 -> (long) in.getInt();
            case 0xD4 -> skipExt(1);
            case 0xD5 -> skipExt(2);
            case 0xD6 -> skipExt(4);
            case 0xD7 -> skipExt(8);
            case 0xD8 -> skipExt(16);
            case 0xD9 -> string(in.get() & 0xFF);
            case 0xDA -> string(in.getShort() & 0xFFFF);
            case 0xDB -> string(length(in.getInt()));
            case 0xDC -> array(in.getShort() & 0xFFFF, depth);
            case 0xDD -> array(length(in.getInt()), depth);
            case 0xDE -> map(in.getShort() & 0xFFFF, depth);
            case 0xDF -> map(length(in.getInt()), depth);
            default -> throw new IllegalArgumentException("byte 0x" + Integer.toHexString(b) + " starts no MessagePack value");
        };
    }

    private int length(int raw) {
        if (raw < 0 || raw > in.remaining()) {
            throw new IllegalArgumentException("a length of " + Integer.toUnsignedString(raw) + " runs past the metadata's "
                    + in.remaining() + " remaining bytes");
        }
        return raw;
    }

    private String string(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private Object skipExt(int n) {
        in.get();
        in.position(in.position() + length(n));
        return null;
    }

    private List<Object> array(int n, int depth) {
        List<Object> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            list.add(value(depth + 1));
        }
        return list;
    }

    private Map<String, Object> map(int n, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(String.valueOf(value(depth + 1)), value(depth + 1));
        }
        return map;
    }
}
