package xsched.backend.fpga;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/**
 * A host-to-device copy ({@code clEnqueueWriteBuffer}, non-blocking). The data is copied into
 * native memory when the command is built, so later changes to the caller's array do not reach
 * the device; that memory lives as long as the command.
 */
public final class BufferWrite extends OpenClCommand {
    private final OpenClBuffer buffer;
    private final long offset;
    private final MemorySegment data;

    private BufferWrite(OpenClBuffer buffer, long offset, MemorySegment data) {
        super(buffer.device());
        buffer.checkRange(offset, data.byteSize());
        this.buffer = buffer;
        this.offset = offset;
        this.data = data;
    }

    /** @return a write of {@code values} into {@code buffer} at byte {@code offset} */
    public static BufferWrite of(OpenClBuffer buffer, long offset, float[] values) {
        return new BufferWrite(Objects.requireNonNull(buffer, "buffer"), offset, Arena.ofAuto().allocateFrom(ValueLayout.JAVA_FLOAT, values));
    }

    /** @return a write of {@code values} into {@code buffer} at byte {@code offset} */
    public static BufferWrite of(OpenClBuffer buffer, long offset, int[] values) {
        return new BufferWrite(Objects.requireNonNull(buffer, "buffer"), offset, Arena.ofAuto().allocateFrom(ValueLayout.JAVA_INT, values));
    }

    /** @return a write of {@code values} into {@code buffer} at byte {@code offset} */
    public static BufferWrite of(OpenClBuffer buffer, long offset, byte[] values) {
        return new BufferWrite(Objects.requireNonNull(buffer, "buffer"), offset, Arena.ofAuto().allocateFrom(ValueLayout.JAVA_BYTE, values));
    }

    @Override
    void checkResources() {
        buffer.ensureOpen();
    }

    @Override
    void enqueue(long queue) {
        checkResources();
        QueueCalls.write(queue, buffer.handle(), false, offset, data.byteSize(), data);
    }

    @Override
    public String describe() {
        return "write " + data.byteSize() + " bytes";
    }
}
