package xsched.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaMemory;

/**
 * An asynchronous copy ({@code cuMemcpy*Async}) between host memory and device memory or within
 * device memory. The host side must be native memory that stays alive until the copy has run: a
 * {@link PinnedBuffer} (fast, truly asynchronous), or any native segment (the driver stages it).
 * Java heap memory is refused, because the copy runs later and the heap may move.
 */
public final class MemoryCopy extends CudaCommand {
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
    private final DeviceBuffer src;
    private final long srcOffset;
    private final DeviceBuffer dst;
    private final long dstOffset;
    private final long bytes;

    private MemoryCopy(Direction direction, MemorySegment host, DeviceBuffer src, long srcOffset, DeviceBuffer dst,
                       long dstOffset, long bytes) {
        super(src != null ? src.gpu() : dst.gpu());
        this.direction = direction;
        this.host = host;
        this.src = src;
        this.srcOffset = srcOffset;
        this.dst = dst;
        this.dstOffset = dstOffset;
        this.bytes = bytes;
    }

    /**
     * @param src       native host memory; all of it is copied
     * @param dst       device memory
     * @param dstOffset where in {@code dst} the bytes go
     * @return the command
     */
    public static MemoryCopy hostToDevice(MemorySegment src, DeviceBuffer dst, long dstOffset) {
        requireNative(src, "source");
        Objects.requireNonNull(dst, "dst");
        checkRange(dst, dstOffset, src.byteSize(), "destination");
        return new MemoryCopy(Direction.HOST_TO_DEVICE, src, null, 0, dst, dstOffset, src.byteSize());
    }

    /** @param src pinned memory, copied whole @param dst device memory @return the command */
    public static MemoryCopy hostToDevice(PinnedBuffer src, DeviceBuffer dst) {
        return hostToDevice(Objects.requireNonNull(src, "src").segment(), dst, 0);
    }

    /**
     * @param src       device memory
     * @param srcOffset where in {@code src} the bytes start
     * @param dst       native host memory; filled whole
     * @return the command
     */
    public static MemoryCopy deviceToHost(DeviceBuffer src, long srcOffset, MemorySegment dst) {
        requireNative(dst, "destination");
        Objects.requireNonNull(src, "src");
        checkRange(src, srcOffset, dst.byteSize(), "source");
        return new MemoryCopy(Direction.DEVICE_TO_HOST, dst, src, srcOffset, null, 0, dst.byteSize());
    }

    /** @param src device memory @param dst pinned memory, filled whole @return the command */
    public static MemoryCopy deviceToHost(DeviceBuffer src, PinnedBuffer dst) {
        return deviceToHost(src, 0, Objects.requireNonNull(dst, "dst").segment());
    }

    /**
     * @param src       device memory
     * @param srcOffset where the bytes start
     * @param dst       device memory on the same GPU
     * @param dstOffset where they go
     * @param bytes     how many, at least 1
     * @return the command
     */
    public static MemoryCopy deviceToDevice(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long bytes) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (!src.gpu().sharesContextWith(dst.gpu())) {
            throw new IllegalArgumentException(src.gpu().ordinal() == dst.gpu().ordinal()
                    ? "both buffers of a device-to-device copy must be in one primary context of " + src.gpu().id()
                    : "both buffers of a device-to-device copy must be on one GPU, not " + src.gpu().id() + " and " + dst.gpu().id());
        }
        checkRange(src, srcOffset, bytes, "source");
        checkRange(dst, dstOffset, bytes, "destination");
        return new MemoryCopy(Direction.DEVICE_TO_DEVICE, null, src, srcOffset, dst, dstOffset, bytes);
    }

    private static void requireNative(MemorySegment segment, String side) {
        Objects.requireNonNull(segment, side);
        if (!segment.isNative()) {
            throw new IllegalArgumentException("the host " + side + " of an asynchronous copy must be native memory "
                    + "(a PinnedBuffer or an Arena allocation), not a Java heap segment: the copy runs later and the heap may move");
        }
        if (segment.byteSize() == 0) {
            throw new IllegalArgumentException("the host " + side + " of a copy is empty");
        }
    }

    static void checkRange(DeviceBuffer buffer, long offset, long bytes, String side) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a copy moves at least 1 byte, not " + bytes);
        }
        if (offset < 0 || offset > buffer.bytes() || bytes > buffer.bytes() - offset) {
            throw new IllegalArgumentException("the " + side + " range [" + offset + ", " + offset + " + " + bytes
                    + ") lies outside the " + buffer.bytes() + "-byte buffer");
        }
    }

    /** @return which way it copies */
    public Direction direction() {
        return direction;
    }

    /** @return bytes copied */
    public long bytes() {
        return bytes;
    }

    @Override
    public String describe() {
        return "copy " + direction.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + bytes + " B";
    }

    @Override
    void checkResources() {
        if (host != null && !host.scope().isAlive()) {
            throw new IllegalStateException("the host memory of '" + describe() + "' was freed");
        }
        if (src != null) {
            src.ensureOpen();
        }
        if (dst != null) {
            dst.ensureOpen();
        }
    }

    @Override
    void enqueue(long stream, LaunchScratch scratch) {
        checkResources();
        switch (direction) {
            case HOST_TO_DEVICE -> CudaMemory.memcpyHtoDAsync(dst.address() + dstOffset, host, bytes, stream);
            case DEVICE_TO_HOST -> CudaMemory.memcpyDtoHAsync(host, src.address() + srcOffset, bytes, stream);
            case DEVICE_TO_DEVICE -> CudaMemory.memcpyDtoDAsync(dst.address() + dstOffset, src.address() + srcOffset, bytes, stream);
        }
    }
}
