package xsched.backend.support;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One kernel argument captured for APIs that set arguments one at a time ({@code clSetKernelArg},
 * {@code zeKernelSetArgumentValue}): a device buffer, a by-value parameter's bytes, or a
 * local-memory size.
 *
 * @param <B> the backend's buffer type
 */
public sealed interface KernelArgument<B> {
    /** A pointer parameter: the buffer, passed as its 8-byte handle or address. */
    record Buffer<B>(B buffer) implements KernelArgument<B> {
    }

    /** A by-value parameter; {@code bytes} in native order. */
    record Scalar<B>(String kind, byte[] bytes) implements KernelArgument<B> {
    }

    /** A {@code __local} pointer parameter: the size to allocate per work-group. */
    record Local<B>(long bytes) implements KernelArgument<B> {
    }

    /** Sets one argument on a kernel: the vendor's set-argument call. */
    @FunctionalInterface
    interface Setter {
        /**
         * @param index the parameter's index
         * @param size  the value's size in bytes (a local-memory argument: the size to allocate)
         * @param value the value, {@code NULL} for a local-memory argument
         */
        void set(int index, long size, MemorySegment value);
    }

    /** @return what the argument is, for messages */
    default String describe() {
        return switch (this) {
            case Buffer<B> b -> "buffer";
            case Scalar<B> s -> s.kind() + "(" + s.bytes().length + " bytes)";
            case Local<B> l -> "local memory(" + l.bytes() + " bytes)";
        };
    }

    /** @return the size the set-argument call is given */
    default long size() {
        return switch (this) {
            case Buffer<B> b -> 8;
            case Scalar<B> s -> s.bytes().length;
            case Local<B> l -> l.bytes();
        };
    }

    /**
     * Sets every argument, in order, on a kernel.
     *
     * @param args   the captured arguments
     * @param handle what a buffer is passed as (its handle or device address)
     * @param arena  where the values are staged for the calls
     * @param setter the vendor's set-argument call
     */
    static <B> void setAll(List<KernelArgument<B>> args, ToLongFunction<? super B> handle, Arena arena, Setter setter) {
        for (int i = 0; i < args.size(); i++) {
            KernelArgument<B> arg = args.get(i);
            MemorySegment value = switch (arg) {
                case Buffer<B> b -> arena.allocateFrom(ValueLayout.JAVA_LONG, handle.applyAsLong(b.buffer()));
                case Scalar<B> s -> arena.allocateFrom(ValueLayout.JAVA_BYTE, s.bytes());
                case Local<B> l -> MemorySegment.NULL;
            };
            setter.set(i, arg.size(), value);
        }
    }
}
