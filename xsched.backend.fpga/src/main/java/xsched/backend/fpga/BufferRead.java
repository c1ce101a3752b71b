package xsched.backend.fpga;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/**
 * A device-to-host copy ({@code clEnqueueReadBuffer}, non-blocking) into native memory the command
 * owns; read the result with {@link #floats()}, {@link #ints()} or {@link #bytes()} once the XQueue
 * reports the command completed.
 */
public final class BufferRead extends OpenClCommand {
    private final OpenClBuffer buffer;
    private final long offset;
    private final MemorySegment data;

    private BufferRead(OpenClBuffer buffer, long offset, long bytes) {
        super(buffer.device());
        buffer.checkRange(offset, bytes);
        if (bytes <= 0) {
            throw new IllegalArgumentException("a read needs at least one byte, not " + bytes);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.data = Arena.ofAuto().allocate(bytes, 8);
    }

    /** @return a read of {@code bytes} bytes of {@code buffer} from byte {@code offset} */
    public static BufferRead of(OpenClBuffer buffer, long offset, long bytes) {
        return new BufferRead(Objects.requireNonNull(buffer, "buffer"), offset, bytes);
    }

    /** @return the bytes read, as floats (valid once the command completed) */
    public float[] floats() {
        return data.toArray(ValueLayout.JAVA_FLOAT);
    }

    /** @return the bytes read, as ints (valid once the command completed) */
    public int[] ints() {
        return data.toArray(ValueLayout.JAVA_INT);
    }

    /** @return the bytes read (valid once the command completed) */
    public byte[] bytes() {
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    void checkResources() {
        buffer.ensureOpen();
    }

    @Override
    void enqueue(long queue) {
        checkResources();
        QueueCalls.read(queue, buffer.handle(), false, offset, data.byteSize(), data);
    }

    @Override
    public String describe() {
        return "read " + data.byteSize() + " bytes";
    }
}
