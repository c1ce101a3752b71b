package xsched.backend.levelzero;

import java.util.Objects;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;

/**
 * A copy between two buffers of one device ({@code zeCommandListAppendMemoryCopy}): device to
 * device, host to device, device to host or host to host. The ranges are checked when it is built;
 * the bytes are read when it runs, so a host buffer's content at that moment is what is copied.
 */
public final class MemoryCopy extends ZeCommand {
    private final ZeBuffer src;
    private final ZeBuffer dst;
    private final long srcOffset;
    private final long dstOffset;
    private final long bytes;

    private MemoryCopy(ZeBuffer src, long srcOffset, ZeBuffer dst, long dstOffset, long bytes) {
        super(src.device());
        if (dst.device() != src.device()) {
            throw new IllegalArgumentException("a copy runs on one device's queue, but the source is on " + src.device().id()
                    + " and the destination on " + dst.device().id());
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("a copy moves at least one byte, not " + bytes);
        }
        src.checkRange(srcOffset, bytes);
        dst.checkRange(dstOffset, bytes);
        if (src == dst && srcOffset < dstOffset + bytes && dstOffset < srcOffset + bytes) {
            throw new IllegalArgumentException("the source and destination ranges overlap");
        }
        src.ensureOpen();
        dst.ensureOpen();
        this.src = src;
        this.dst = dst;
        this.srcOffset = srcOffset;
        this.dstOffset = dstOffset;
        this.bytes = bytes;
    }

    /**
     * @return a copy of {@code bytes} bytes from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}
     * @throws IllegalArgumentException when a range is outside its buffer, the ranges overlap, or the
     *         buffers are on different devices
     */
    public static MemoryCopy of(ZeBuffer src, long srcOffset, ZeBuffer dst, long dstOffset, long bytes) {
        return new MemoryCopy(Objects.requireNonNull(src, "src"), srcOffset, Objects.requireNonNull(dst, "dst"), dstOffset, bytes);
    }

    /** @return the number of bytes copied */
    public long bytes() {
        return bytes;
    }

    @Override
    void checkResources() {
        src.ensureOpen();
        dst.ensureOpen();
    }

    @Override
    void append(long list) {
        checkResources();
        ZeQueueCalls.appendCopy(list, dst.pointer() + dstOffset, src.pointer() + srcOffset, bytes);
    }

    @Override
    public String describe() {
        return "copy " + bytes + " bytes " + src.kind().name().toLowerCase(java.util.Locale.ROOT) + "→"
                + dst.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
}
