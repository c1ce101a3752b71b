package xsched.backend.hip;

import java.util.Objects;

/**
 * Fills device memory asynchronously with a byte ({@code hipMemsetD8Async}) or a 32-bit word
 * ({@code hipMemsetD32Async}, e.g. a float).
 */
public final class MemorySet extends HipCommand {
    private final HipBuffer dst;
    private final long byteOffset;
    private final int value;
    private final long count;
    private final boolean words;

    private MemorySet(HipBuffer dst, long byteOffset, int value, long count, boolean words) {
        super(dst.device());
        this.dst = dst;
        this.byteOffset = byteOffset;
        this.value = value;
        this.count = count;
        this.words = words;
    }

    /**
     * @param dst        device memory
     * @param byteOffset where to start, a multiple of 4
     * @param value      the 32-bit word
     * @param count      how many words
     * @return the command
     */
    public static MemorySet int32(HipBuffer dst, long byteOffset, int value, long count) {
        Objects.requireNonNull(dst, "dst");
        if (byteOffset % 4 != 0) {
            throw new IllegalArgumentException("a 32-bit memset needs a 4-byte aligned offset, not " + byteOffset);
        }
        if (count < 1 || count > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("a 32-bit memset needs a count from 1 to " + Long.MAX_VALUE / 4 + ", not " + count);
        }
        dst.checkRange(byteOffset, count * 4, "memset");
        return new MemorySet(dst, byteOffset, value, count, true);
    }

    /** @param dst device memory, filled whole (its size must be a multiple of 4) @param value the float @return the command */
    public static MemorySet float32(HipBuffer dst, float value) {
        Objects.requireNonNull(dst, "dst");
        if (dst.bytes() % 4 != 0) {
            throw new IllegalArgumentException("a " + dst.bytes() + "-byte buffer does not hold whole floats");
        }
        return int32(dst, 0, Float.floatToRawIntBits(value), dst.bytes() / 4);
    }

    /**
     * @param dst        device memory
     * @param byteOffset where to start
     * @param value      the byte
     * @param count      how many bytes
     * @return the command
     */
    public static MemorySet int8(HipBuffer dst, long byteOffset, byte value, long count) {
        Objects.requireNonNull(dst, "dst");
        dst.checkRange(byteOffset, count, "memset");
        return new MemorySet(dst, byteOffset, value, count, false);
    }

    /** @return the buffer filled */
    public HipBuffer destination() {
        return dst;
    }

    /** @return where the fill starts, in bytes */
    public long byteOffset() {
        return byteOffset;
    }

    /** @return the value: a byte (in the low 8 bits) or a 32-bit word */
    public int value() {
        return value;
    }

    /** @return how many bytes or words */
    public long count() {
        return count;
    }

    /** @return whether it fills 32-bit words rather than bytes */
    public boolean words() {
        return words;
    }

    @Override
    public String describe() {
        return "memset" + (words ? "32 " + count + " words" : "8 " + count + " B") + " on " + dst.device().id();
    }

    @Override
    void checkResources() {
        dst.ensureOpen();
    }
}
