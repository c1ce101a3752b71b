package xsched.backend.hip;

import java.lang.foreign.MemorySegment;
import java.util.List;
import xsched.backend.support.ArgumentBuilder;
import xsched.backend.support.PackedArguments;

/**
 * The argument values of one kernel launch, copied when they are added: the launch happens later,
 * on whichever thread the XQueue launches from, so nothing the caller changes afterwards (an array,
 * a variable) reaches the kernel. Each value sits at its natural alignment in one byte array; {@code
 * hipModuleLaunchKernel} gets an array of pointers to them ({@code kernelParams}) and copies each
 * parameter's bytes before it returns.
 */
public final class KernelArgs {
    private static final KernelArgs NONE = new KernelArgs(PackedArguments.NONE, List.of());

    private final PackedArguments packed;
    private final List<HipBuffer> buffers;

    private KernelArgs(PackedArguments packed, List<HipBuffer> buffers) {
        this.packed = packed;
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
        b.args.values(values);
        return b.build();
    }

    /** @return number of arguments */
    public int count() {
        return packed.count();
    }

    /** @param index 0…count-1 @return the argument's size in bytes */
    public int size(int index) {
        return packed.size(index);
    }

    /** @param index 0…count-1 @return what the argument is, e.g. "int" or "pointer" */
    public String kind(int index) {
        return packed.kind(index);
    }

    /** @param index 0…count-1 @return where the argument's value starts in {@link #bytes()} */
    public int offset(int index) {
        return packed.offset(index);
    }

    /** @return the packed bytes, a copy */
    public byte[] bytes() {
        return packed.bytes();
    }

    /** @return the total size of the packed values in bytes */
    public int packedSize() {
        return packed.packedSize();
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
        packed.writeTo(values, pointers);
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
        packed.checkAgainst(kernel, paramSizes, paramKinds);
    }

    /** @return the argument kinds and sizes, e.g. "[pointer(8), int(4)]" */
    public String describe() {
        return packed.describe();
    }

    /** Adds arguments in parameter order; each value is copied at once. */
    public static final class Builder {
        private final ArgumentBuilder<HipBuffer> args =
                new ArgumentBuilder<>(HipBuffer.class, HipBuffer::address, HipBuffer::bytes);

        private Builder() {
        }

        /** @param v an {@code int} / {@code unsigned int} parameter @return this */
        public Builder arg(int v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code long long} / {@code size_t} parameter @return this */
        public Builder arg(long v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code float} parameter @return this */
        public Builder arg(float v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code double} parameter @return this */
        public Builder arg(double v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code short} parameter @return this */
        public Builder arg(short v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code char} / {@code unsigned char} parameter @return this */
        public Builder arg(byte v) {
            args.value(v);
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
            args.buffer(buffer, byteOffset);
            return this;
        }

        /**
         * @param value     a struct passed by value, as the kernel lays it out
         * @param alignment its alignment: 1, 2, 4, 8 or 16
         * @return this
         */
        public Builder struct(byte[] value, int alignment) {
            args.struct(value, alignment);
            return this;
        }

        /** @return the captured arguments */
        public KernelArgs build() {
            return new KernelArgs(args.pack(), args.buffers());
        }
    }
}
