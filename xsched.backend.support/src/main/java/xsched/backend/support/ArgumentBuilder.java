package xsched.backend.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The arguments of one launch being built for an API that takes a {@code kernelParams} array
 * ({@code cuLaunchKernel}, {@code hipModuleLaunchKernel}): what a backend's public {@code
 * KernelArgs.Builder} delegates to. Each value is copied at once by an {@link ArgumentPacker}; a
 * buffer is passed as its device address and remembered, so that the launch can keep it open. Not
 * thread-safe: one builder fills one list.
 *
 * @param <B> the backend's buffer type
 */
public final class ArgumentBuilder<B> {
    private final Class<B> bufferType;
    private final ToLongFunction<? super B> address;
    private final ToLongFunction<? super B> bytes;
    private final ArgumentPacker packer = new ArgumentPacker();
    private final List<B> buffers = new ArrayList<>();
    private int count;

    /**
     * @param bufferType the backend's buffer class: {@link #value(Object)} passes its instances as pointers,
     *                   and its simple name appears in messages
     * @param address    a buffer's device address
     * @param bytes      a buffer's size in bytes
     */
    public ArgumentBuilder(Class<B> bufferType, ToLongFunction<? super B> address, ToLongFunction<? super B> bytes) {
        this.bufferType = Objects.requireNonNull(bufferType, "bufferType");
        this.address = Objects.requireNonNull(address, "address");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * Adds a pointer parameter and remembers the buffer.
     *
     * @param buffer     the buffer
     * @param byteOffset added to the buffer's address; within the buffer
     * @throws IllegalArgumentException when the offset lies outside the buffer
     */
    public void buffer(B buffer, long byteOffset) {
        Objects.requireNonNull(buffer, "buffer");
        packer.pointer(address.applyAsLong(buffer), bytes.applyAsLong(buffer), byteOffset);
        buffers.add(buffer);
        count++;
    }

    /**
     * Adds a struct passed by value, as the kernel lays it out.
     *
     * @param value     its bytes, copied now
     * @param alignment its alignment: 1, 2, 4, 8 or 16
     * @throws IllegalArgumentException for another alignment or an empty struct
     */
    public void struct(byte[] value, int alignment) {
        packer.struct(value, alignment);
        count++;
    }

    /**
     * Adds one value: a buffer of the backend's type (its address), or whatever {@link
     * ArgumentPacker#value(int, Object, String)} takes ({@link Integer}, {@link Long}, {@link Float},
     * {@link Double}, {@link Short}, {@link Byte} at its natural alignment, {@code byte[]} a struct,
     * 8-byte aligned). A backend's typed {@code arg(int)} passes its primitive here, boxed.
     *
     * @param value the value
     * @throws IllegalArgumentException for a null or a value of another type
     */
    public void value(Object value) {
        if (bufferType.isInstance(value)) {
            buffer(bufferType.cast(value), 0);
        } else {
            packer.value(count, value, bufferType.getSimpleName());
            count++;
        }
    }

    /**
     * Adds loosely typed values, each as {@link #value(Object)} does.
     *
     * @param values the values in parameter order
     * @throws IllegalArgumentException for a null or a value of another type
     */
    public void values(Object... values) {
        for (Object value : values) {
            value(value);
        }
    }

    /** @return the values added so far, packed */
    public PackedArguments pack() {
        return packer.pack();
    }

    /** @return the buffers added so far, in order, unmodifiable */
    public List<B> buffers() {
        return List.copyOf(buffers);
    }
}
