package xsched.backend.hip;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The argument values of one kernel launch, copied when they are added: the launch happens later,
 * on whichever thread the XQueue launches from, so nothing the caller changes afterwards (an array,
 * a variable) reaches the kernel. Each value sits at its natural alignment in one byte array; {@code
 * hipModuleLaunchKernel} gets an array of pointers to them ({@code kernelParams}) and copies each
 * parameter's bytes before it returns.
 */
public final class KernelArgs {
    private static final KernelArgs NONE = new KernelArgs(new byte[0], new int[0], new int[0], new String[0], List.of());

    private final byte[] data;
    private final int[] offsets;
    private final int[] sizes;
    private final String[] kinds;
    private final List<HipBuffer> buffers;

    private KernelArgs(byte[] data, int[] offsets, int[] sizes, String[] kinds, List<HipBuffer> buffers) {
        this.data = data;
        this.offsets = offsets;
        this.sizes = sizes;
        this.kinds = kinds;
        this.buffers = buffers;
    }

    /** @return no arguments */
    public static KernelArgs none() {
        return NONE;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Packs loosely typed values: {@link Integer}, {@link Long}, {@link Float}, {@link Double},
     * {@link Short}, {@link Byte}, {@link HipBuffer} (its device address) and {@code byte[]} (a
     * struct passed by value, 8-byte aligned).
     *
     * @param values the values in parameter order
     * @return the captured arguments
     * @throws IllegalArgumentException for a null or a value of another type
     */
    public static KernelArgs of(Object... values) {
        Builder b = builder();
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case Integer v -> b.arg(v.intValue());
                case Long v -> b.arg(v.longValue());
                case Float v -> b.arg(v.floatValue());
                case Double v -> b.arg(v.doubleValue());
                case Short v -> b.arg(v.shortValue());
                case Byte v -> b.arg(v.byteValue());
                case HipBuffer v -> b.arg(v);
                case byte[] v -> b.struct(v, 8);
                case null -> throw new IllegalArgumentException("argument " + i + " is null; pass a HipBuffer or a number");
                default -> throw new IllegalArgumentException("argument " + i + " is a " + values[i].getClass().getName()
                        + "; kernel arguments are int, long, float, double, short, byte, HipBuffer or byte[]");
            }
        }
        return b.build();
    }

    /** @return number of arguments */
    public int count() {
        return sizes.length;
    }

    /** @param index 0…count-1 @return the argument's size in bytes */
    public int size(int index) {
        return sizes[index];
    }

    /** @param index 0…count-1 @return what the argument is, e.g. "int" or "pointer" */
    public String kind(int index) {
        return kinds[index];
    }

    /** @param index 0…count-1 @return where the argument's value starts in {@link #bytes()} */
    public int offset(int index) {
        return offsets[index];
    }

    /** @return the packed bytes, a copy */
    public byte[] bytes() {
        return data.clone();
    }

    /** @return the total size of the packed values in bytes */
    public int packedSize() {
        return data.length;
    }

    /** @return the device buffers passed, which must stay allocated until the launch ran */
    public List<HipBuffer> buffers() {
        return buffers;
    }

    /**
     * Writes the values into {@code values} and a pointer to each into {@code pointers}: the
     * {@code kernelParams} array of {@code hipModuleLaunchKernel}.
     *
     * @param values   native memory of at least {@link #packedSize()} bytes, 8-byte aligned
     * @param pointers native memory of at least {@link #count()} addresses
     */
    public void writeTo(MemorySegment values, MemorySegment pointers) {
        MemorySegment.copy(data, 0, values, ValueLayout.JAVA_BYTE, 0, data.length);
        long base = values.address();
        for (int i = 0; i < offsets.length; i++) {
            pointers.setAtIndex(ValueLayout.JAVA_LONG, i, base + offsets[i]);
        }
    }

    /**
     * Checks the arguments against a kernel's declared parameter sizes.
     *
     * @param kernel     the kernel's name, for messages
     * @param paramSizes its parameter sizes in bytes
     * @param paramKinds what each parameter is, for messages
     * @throws IllegalArgumentException when the count or a size differs
     */
    void checkAgainst(String kernel, int[] paramSizes, List<String> paramKinds) {
        if (paramSizes.length != sizes.length) {
            throw new IllegalArgumentException("kernel '" + kernel + "' takes " + paramSizes.length + " parameters "
                    + paramKinds + ", but " + sizes.length + " arguments were given " + describe());
        }
        for (int i = 0; i < sizes.length; i++) {
            if (paramSizes[i] != sizes[i]) {
                throw new IllegalArgumentException("kernel '" + kernel + "' parameter " + i + " is " + paramKinds.get(i)
                        + ", " + paramSizes[i] + " bytes, but argument " + i + " is a " + sizes[i] + "-byte " + kinds[i]);
            }
        }
    }

    /** @return the argument kinds and sizes, e.g. "[pointer(8), int(4)]" */
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(kinds[i]).append('(').append(sizes[i]).append(')');
        }
        return sb.append(']').toString();
    }

    /** Adds arguments in parameter order; each value is copied at once. */
    public static final class Builder {
        private ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        private final List<Integer> offsets = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private final List<String> kinds = new ArrayList<>();
        private final List<HipBuffer> buffers = new ArrayList<>();

        private Builder() {
        }

        private ByteBuffer slot(int size, int alignment, String kind) {
            int offset = (buf.position() + alignment - 1) & -alignment;
            if (offset + size > buf.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, offset + size)).order(ByteOrder.nativeOrder());
                bigger.put(buf.flip());
                buf = bigger;
            }
            buf.position(offset);
            offsets.add(offset);
            sizes.add(size);
            kinds.add(kind);
            return buf;
        }

        /** @param v an {@code int} / {@code unsigned int} parameter @return this */
        public Builder arg(int v) {
            slot(4, 4, "int").putInt(v);
            return this;
        }

        /** @param v a {@code long long} / {@code size_t} parameter @return this */
        public Builder arg(long v) {
            slot(8, 8, "long").putLong(v);
            return this;
        }

        /** @param v a {@code float} parameter @return this */
        public Builder arg(float v) {
            slot(4, 4, "float").putFloat(v);
            return this;
        }

        /** @param v a {@code double} parameter @return this */
        public Builder arg(double v) {
            slot(8, 8, "double").putDouble(v);
            return this;
        }

        /** @param v a {@code short} parameter @return this */
        public Builder arg(short v) {
            slot(2, 2, "short").putShort(v);
            return this;
        }

        /** @param v a {@code char} / {@code unsigned char} parameter @return this */
        public Builder arg(byte v) {
            slot(1, 1, "byte").put(v);
            return this;
        }

        /** @param buffer a pointer parameter: the buffer's device address @return this */
        public Builder arg(HipBuffer buffer) {
            return arg(buffer, 0);
        }

        /**
         * @param buffer     a pointer parameter
         * @param byteOffset added to the buffer's address; within the buffer
         * @return this
         */
        public Builder arg(HipBuffer buffer, long byteOffset) {
            Objects.requireNonNull(buffer, "buffer");
            if (byteOffset < 0 || byteOffset > buffer.bytes()) {
                throw new IllegalArgumentException("offset " + byteOffset + " is outside the " + buffer.bytes() + "-byte buffer");
            }
            slot(8, 8, "pointer").putLong(buffer.address() + byteOffset);
            buffers.add(buffer);
            return this;
        }

        /**
         * @param value     a struct passed by value, as the kernel lays it out
         * @param alignment its alignment: 1, 2, 4, 8 or 16
         * @return this
         */
        public Builder struct(byte[] value, int alignment) {
            Objects.requireNonNull(value, "value");
            if (alignment < 1 || alignment > 16 || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("alignment must be 1, 2, 4, 8 or 16, not " + alignment);
            }
            if (value.length == 0) {
                throw new IllegalArgumentException("a struct argument needs at least one byte");
            }
            slot(value.length, alignment, "struct").put(value);
            return this;
        }

        /** @return the captured arguments */
        public KernelArgs build() {
            int n = sizes.size();
            int[] o = new int[n];
            int[] s = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = offsets.get(i);
                s[i] = sizes.get(i);
            }
            int end = n == 0 ? 0 : o[n - 1] + s[n - 1];
            return new KernelArgs(Arrays.copyOf(buf.array(), end), o, s, kinds.toArray(String[]::new), List.copyOf(buffers));
        }
    }
}
