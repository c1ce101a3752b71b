package xsched.backend.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Lays out the argument values of one kernel launch for APIs that take a {@code kernelParams}
 * array ({@code cuLaunchKernel}, {@code hipModuleLaunchKernel}): each value is copied at once, at
 * its natural alignment, into one growing byte array, with its offset, size and kind remembered.
 * {@link #pack()} freezes the result. Not thread-safe: one builder fills one packer.
 */
public final class ArgumentPacker {
    private ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    private int[] offsets = new int[8];
    private int[] sizes = new int[8];
    private String[] kinds = new String[8];
    private int count;

    /**
     * Reserves the next argument's bytes.
     *
     * @param size      its size in bytes
     * @param alignment its alignment, a power of two
     * @param kind      what it is, for messages ("int", "pointer")
     * @return the buffer, in native order, positioned where the caller writes exactly {@code size} bytes
     */
    public ByteBuffer slot(int size, int alignment, String kind) {
        int offset = (buf.position() + alignment - 1) & -alignment;
        if (offset + size > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, offset + size)).order(ByteOrder.nativeOrder());
            bigger.put(buf.flip());
            buf = bigger;
        }
        buf.position(offset);
        if (count == sizes.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        offsets[count] = offset;
        sizes[count] = size;
        kinds[count] = Objects.requireNonNull(kind, "kind");
        count++;
        return buf;
    }

    /**
     * Adds a pointer into a device buffer.
     *
     * @param address     the buffer's device address
     * @param bufferBytes the buffer's size
     * @param byteOffset  added to the address; within the buffer
     * @throws IllegalArgumentException when the offset lies outside the buffer
     */
    public void pointer(long address, long bufferBytes, long byteOffset) {
        if (byteOffset < 0 || byteOffset > bufferBytes) {
            throw new IllegalArgumentException("offset " + byteOffset + " is outside the " + bufferBytes + "-byte buffer");
        }
        slot(8, 8, "pointer").putLong(address + byteOffset);
    }

    /**
     * Adds a struct passed by value, as the kernel lays it out.
     *
     * @param value     its bytes, copied now
     * @param alignment its alignment: 1, 2, 4, 8 or 16
     * @throws IllegalArgumentException for another alignment or an empty struct
     */
    public void struct(byte[] value, int alignment) {
        Objects.requireNonNull(value, "value");
        if (alignment < 1 || alignment > 16 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be 1, 2, 4, 8 or 16, not " + alignment);
        }
        if (value.length == 0) {
            throw new IllegalArgumentException("a struct argument needs at least one byte");
        }
        slot(value.length, alignment, "struct").put(value);
    }

    /**
     * Adds a loosely typed value: {@link Integer}, {@link Long}, {@link Float}, {@link Double},
     * {@link Short}, {@link Byte}, or {@code byte[]} (a struct, 8-byte aligned). The backend
     * handles its own buffer type before it calls this.
     *
     * @param index      the argument's position, for messages
     * @param value      the value
     * @param bufferType the backend's buffer class name, for messages ("DeviceBuffer")
     * @throws IllegalArgumentException for a null or a value of another type
     */
    public void value(int index, Object value, String bufferType) {
        switch (value) {
            case Integer v -> slot(4, 4, "int").putInt(v);
            case Long v -> slot(8, 8, "long").putLong(v);
            case Float v -> slot(4, 4, "float").putFloat(v);
            case Double v -> slot(8, 8, "double").putDouble(v);
            case Short v -> slot(2, 2, "short").putShort(v);
            case Byte v -> slot(1, 1, "byte").put(v);
            case byte[] v -> struct(v, 8);
            case null -> throw new IllegalArgumentException("argument " + index + " is null; pass a " + bufferType + " or a number");
            default -> throw new IllegalArgumentException("argument " + index + " is a " + value.getClass().getName()
                    + "; kernel arguments are int, long, float, double, short, byte, " + bufferType + " or byte[]");
        }
    }

    /** @return the arguments added so far, packed */
    public PackedArguments pack() {
        int end = count == 0 ? 0 : offsets[count - 1] + sizes[count - 1];
        return new PackedArguments(Arrays.copyOf(buf.array(), end), Arrays.copyOf(offsets, count),
                Arrays.copyOf(sizes, count), Arrays.copyOf(kinds, count));
    }
}
