package xsched.backend.hip;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * An asynchronous copy ({@code hipMemcpyHtoDAsync}, {@code hipMemcpyDtoHAsync}, {@code
 * hipMemcpyDtoDAsync}) between host memory and a device buffer, or between two buffers of one
 * device. The host side is native memory that lives as long as the command: the caller's segment
 * (which must stay alive until the copy ran), or memory the command allocates — arrays given to
 * {@code hostToDevice} are copied into it when the command is built, and a {@code deviceToHost}
 * without a segment reads into it ({@link #ints()}, {@link #floats()}, {@link #bytes()} once the
 * command completed). Java heap memory is refused: the copy runs later and the heap may move.
 */
public final class MemoryCopy extends HipCommand {
    /** Which way the bytes go. */
    public enum Direction {
        /** host to device */
        HOST_TO_DEVICE,
        /** device to host */
        DEVICE_TO_HOST,
        /** device to device */
        DEVICE_TO_DEVICE
    }

    private final Direction direction;
    private final MemorySegment host;
    private final HipBuffer src;
    private final long srcOffset;
    private final HipBuffer dst;
    private final long dstOffset;
    private final long bytes;

    private MemoryCopy(Direction direction, MemorySegment host, HipBuffer src, long srcOffset, HipBuffer dst, long dstOffset,
            long bytes) {
        super(src != null ? src.device() : dst.device());
        this.direction = direction;
        this.host = host;
        this.src = src;
        this.srcOffset = srcOffset;
        this.dst = dst;
        this.dstOffset = dstOffset;
        this.bytes = bytes;
    }

    /**
     * @param src       native host memory, copied whole; it must stay alive until the copy ran
     * @param dst       the device buffer
     * @param dstOffset where in {@code dst} the bytes go
     * @return the command
     */
    public static MemoryCopy hostToDevice(MemorySegment src, HipBuffer dst, long dstOffset) {
        requireNative(src, "source");
        Objects.requireNonNull(dst, "dst");
        dst.checkRange(dstOffset, src.byteSize(), "destination");
        return new MemoryCopy(Direction.HOST_TO_DEVICE, src, null, 0, dst, dstOffset, src.byteSize());
    }

    /** @return a copy of {@code values}, taken now, into {@code dst} at byte {@code dstOffset} */
    public static MemoryCopy hostToDevice(int[] values, HipBuffer dst, long dstOffset) {
        return hostToDevice(Arena.ofAuto().allocateFrom(ValueLayout.JAVA_INT, values), dst, dstOffset);
    }

    /** @return a copy of {@code values}, taken now, into {@code dst} at byte {@code dstOffset} */
    public static MemoryCopy hostToDevice(float[] values, HipBuffer dst, long dstOffset) {
        return hostToDevice(Arena.ofAuto().allocateFrom(ValueLayout.JAVA_FLOAT, values), dst, dstOffset);
    }

    /** @return a copy of {@code values}, taken now, into {@code dst} at byte {@code dstOffset} */
    public static MemoryCopy hostToDevice(byte[] values, HipBuffer dst, long dstOffset) {
        return hostToDevice(Arena.ofAuto().allocateFrom(ValueLayout.JAVA_BYTE, values), dst, dstOffset);
    }

    /**
     * @param src       the device buffer
     * @param srcOffset where in {@code src} the bytes start
     * @param dst       native host memory, filled whole; it must stay alive until the copy ran
     * @return the command
     */
    public static MemoryCopy deviceToHost(HipBuffer src, long srcOffset, MemorySegment dst) {
        requireNative(dst, "destination");
        Objects.requireNonNull(src, "src");
        src.checkRange(srcOffset, dst.byteSize(), "source");
        return new MemoryCopy(Direction.DEVICE_TO_HOST, dst, src, srcOffset, null, 0, dst.byteSize());
    }

    /** @return a copy of {@code bytes} bytes of {@code src} from {@code srcOffset} into memory the command owns */
    public static MemoryCopy deviceToHost(HipBuffer src, long srcOffset, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a copy needs at least one byte, not " + bytes);
        }
        return deviceToHost(src, srcOffset, Arena.ofAuto().allocate(bytes, 8));
    }

    /**
     * @return a copy of {@code bytes} bytes from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}
     * @throws IllegalArgumentException when a range leaves its buffer or the buffers are on different devices
     */
    public static MemoryCopy deviceToDevice(HipBuffer src, long srcOffset, HipBuffer dst, long dstOffset, long bytes) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (!src.device().sameDevice(dst.device())) {
            throw new IllegalArgumentException("a device copy runs within one device, but the source is on " + src.device().id()
                    + " and the destination on " + dst.device().id());
        }
        src.checkRange(srcOffset, bytes, "source");
        dst.checkRange(dstOffset, bytes, "destination");
        return new MemoryCopy(Direction.DEVICE_TO_DEVICE, null, src, srcOffset, dst, dstOffset, bytes);
    }

    private static void requireNative(MemorySegment segment, String what) {
        Objects.requireNonNull(segment, what);
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the " + what + " is Java heap memory; an asynchronous copy needs native memory "
                    + "(an Arena's segment) that stays alive until the copy ran");
        }
        if (segment.byteSize() < 1) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
    }

    /** @return which way the bytes go */
    public Direction direction() {
        return direction;
    }

    /** @return the host memory, or {@code null} for a device-to-device copy */
    public MemorySegment host() {
        return host;
    }

    /** @return the source buffer, or {@code null} for a host-to-device copy */
    public HipBuffer source() {
        return src;
    }

    /** @return where in the source buffer the bytes start */
    public long sourceOffset() {
        return srcOffset;
    }

    /** @return the destination buffer, or {@code null} for a device-to-host copy */
    public HipBuffer destination() {
        return dst;
    }

    /** @return where in the destination buffer the bytes go */
    public long destinationOffset() {
        return dstOffset;
    }

    /** @return the number of bytes */
    public long byteCount() {
        return bytes;
    }

    /** @return the host memory as ints (a device-to-host copy, once completed) */
    public int[] ints() {
        return hostResult().toArray(ValueLayout.JAVA_INT);
    }

    /** @return the host memory as floats (a device-to-host copy, once completed) */
    public float[] floats() {
        return hostResult().toArray(ValueLayout.JAVA_FLOAT);
    }

    /** @return the host memory's bytes (a device-to-host copy, once completed) */
    public byte[] bytes() {
        return hostResult().toArray(ValueLayout.JAVA_BYTE);
    }

    private MemorySegment hostResult() {
        if (direction != Direction.DEVICE_TO_HOST) {
            throw new IllegalStateException("only a device-to-host copy has a result, not a " + direction + " copy");
        }
        return host;
    }

    @Override
    public String describe() {
        return switch (direction) {
            case HOST_TO_DEVICE -> "copy " + bytes + " B host→" + dst.device().id();
            case DEVICE_TO_HOST -> "copy " + bytes + " B " + src.device().id() + "→host";
            case DEVICE_TO_DEVICE -> "copy " + bytes + " B on " + src.device().id();
        };
    }

    @Override
    void checkResources() {
        if (src != null) {
            src.ensureOpen();
        }
        if (dst != null) {
            dst.ensureOpen();
        }
    }
}
