package xsched.backend.fpga;

import java.util.Objects;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/** A device-to-device copy between two buffers of one device ({@code clEnqueueCopyBuffer}). */
public final class BufferCopy extends OpenClCommand {
    private final OpenClBuffer src;
    private final OpenClBuffer dst;
    private final long srcOffset;
    private final long dstOffset;
    private final long bytes;

    private BufferCopy(OpenClBuffer src, long srcOffset, OpenClBuffer dst, long dstOffset, long bytes) {
        super(src.device());
        if (dst.device() != src.device()) {
            throw new IllegalArgumentException("a copy runs within one device, but the source is on " + src.device().id()
                    + " and the destination on " + dst.device().id());
        }
        src.checkRange(srcOffset, bytes);
        dst.checkRange(dstOffset, bytes);
        this.src = src;
        this.dst = dst;
        this.srcOffset = srcOffset;
        this.dstOffset = dstOffset;
        this.bytes = bytes;
    }

    /**
     * @return a copy of {@code bytes} bytes from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}
     * @throws IllegalArgumentException when a range is outside its buffer or the buffers are on different devices
     */
    public static BufferCopy of(OpenClBuffer src, long srcOffset, OpenClBuffer dst, long dstOffset, long bytes) {
        return new BufferCopy(Objects.requireNonNull(src, "src"), srcOffset, Objects.requireNonNull(dst, "dst"), dstOffset, bytes);
    }

    @Override
    void checkResources() {
        src.ensureOpen();
        dst.ensureOpen();
    }

    @Override
    void enqueue(long queue) {
        checkResources();
        QueueCalls.copy(queue, src.handle(), dst.handle(), srcOffset, dstOffset, bytes);
    }

    @Override
    public String describe() {
        return "copy " + bytes + " bytes";
    }
}
