package xsched.backend.cuda;

import java.util.Objects;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaMemory;

/**
 * Fills device memory asynchronously with a byte ({@code cuMemsetD8Async}) or a 32-bit word
 * ({@code cuMemsetD32Async}, e.g. a float).
 */
public final class MemorySet extends CudaCommand {
    private final DeviceBuffer dst;
    private final long byteOffset;
    private final int value;
    private final long count;
    private final boolean words;

    private MemorySet(DeviceBuffer dst, long byteOffset, int value, long count, boolean words) {
        super(dst.gpu());
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
    public static MemorySet int32(DeviceBuffer dst, long byteOffset, int value, long count) {
        Objects.requireNonNull(dst, "dst");
        if (byteOffset % 4 != 0) {
            throw new IllegalArgumentException("a 32-bit memset needs a 4-byte aligned offset, not " + byteOffset);
        }
        if (count > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("count " + count + " is too large");
        }
        MemoryCopy.checkRange(dst, byteOffset, count * 4, "memset");
        return new MemorySet(dst, byteOffset, value, count, true);
    }

    /** @param dst device memory, filled whole (its size must be a multiple of 4) @param value the float @return the command */
    public static MemorySet float32(DeviceBuffer dst, float value) {
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
    public static MemorySet int8(DeviceBuffer dst, long byteOffset, byte value, long count) {
        Objects.requireNonNull(dst, "dst");
        MemoryCopy.checkRange(dst, byteOffset, count, "memset");
        return new MemorySet(dst, byteOffset, value, count, false);
    }

    @Override
    public String describe() {
        return "memset" + (words ? "32 " + count + " words" : "8 " + count + " B");
    }

    @Override
    void checkResources() {
        dst.ensureOpen();
    }

    @Override
    void enqueue(long stream, LaunchScratch scratch) {
        checkResources();
        if (words) {
            CudaMemory.memsetD32Async(dst.address() + byteOffset, value, count, stream);
        } else {
            CudaMemory.memsetD8Async(dst.address() + byteOffset, (byte) value, count, stream);
        }
    }
}
