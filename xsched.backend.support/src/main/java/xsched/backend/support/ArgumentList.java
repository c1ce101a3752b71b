package xsched.backend.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of one launch being built for an API that sets them one at a time: each value is
 * copied as it is added, in parameter order, and counted against the kernel's parameters — one too
 * many is refused when added, one missing when the list is {@linkplain #complete() completed}. A
 * backend that knows more about each parameter checks each argument as it comes ({@link Check}).
 * Not thread-safe: one builder fills one list.
 *
 * @param <B> the backend's buffer type
 */
public final class ArgumentList<B> {
    /** Checks an argument against the kernel's parameter at its position. */
    @FunctionalInterface
    public interface Check<B> {
        /**
         * @param index the parameter's index
         * @param arg   the argument for it
         * @throws IllegalArgumentException when the parameter does not take it
         */
        void check(int index, KernelArgument<B> arg);
    }

    private final String kernel;
    private final int expected;
    private final Check<B> check;
    private final List<KernelArgument<B>> args = new ArrayList<>();

    /**
     * A list for a kernel whose parameters are known by count only.
     *
     * @param kernel   the kernel's name, for messages
     * @param expected how many parameters it takes
     */
    public ArgumentList(String kernel, int expected) {
        this(kernel, expected, (index, arg) -> {
        });
    }

    /**
     * @param kernel   the kernel's name, for messages
     * @param expected how many parameters it takes
     * @param check    checks each argument as it is added
     */
    public ArgumentList(String kernel, int expected, Check<B> check) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.expected = expected;
        this.check = Objects.requireNonNull(check, "check");
    }

    /** @return how many arguments were added */
    public int size() {
        return args.size();
    }

    /** Adds a buffer argument. */
    public void buffer(B buffer) {
        add(new KernelArgument.Buffer<>(Objects.requireNonNull(buffer, "buffer")));
    }

    /** Adds an {@code int} argument. */
    public void value(int v) {
        scalar("int", scratch(4).putInt(v).array());
    }

    /** Adds a {@code long} argument. */
    public void value(long v) {
        scalar("long", scratch(8).putLong(v).array());
    }

    /** Adds a {@code float} argument. */
    public void value(float v) {
        scalar("float", scratch(4).putFloat(v).array());
    }

    /** Adds a {@code double} argument. */
    public void value(double v) {
        scalar("double", scratch(8).putDouble(v).array());
    }

    /** Adds a {@code short} argument. */
    public void value(short v) {
        scalar("short", scratch(2).putShort(v).array());
    }

    private static ByteBuffer scratch(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
    }

    /**
     * Adds a by-value argument.
     *
     * @param kind  what it is, for messages
     * @param bytes its bytes in native order, which the list now owns
     */
    public void scalar(String kind, byte[] bytes) {
        add(new KernelArgument.Scalar<>(kind, bytes));
    }

    /**
     * Adds a {@code __local} pointer argument.
     *
     * @param bytes local memory per work-group
     * @throws IllegalArgumentException for less than one byte
     */
    public void local(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("local memory needs at least one byte, not " + bytes);
        }
        add(new KernelArgument.Local<>(bytes));
    }

    private void add(KernelArgument<B> arg) {
        if (args.size() == expected) {
            throw new IllegalArgumentException("kernel '" + kernel + "' takes " + expected + " arguments; a " + arg.describe()
                    + " is one too many");
        }
        check.check(args.size(), arg);
        args.add(arg);
    }

    /**
     * @return the arguments, in order, unmodifiable
     * @throws IllegalArgumentException when arguments are missing
     */
    public List<KernelArgument<B>> complete() {
        if (args.size() != expected) {
            throw new IllegalArgumentException("kernel '" + kernel + "' takes " + expected + " arguments, but " + args.size()
                    + " were given " + args.stream().map(KernelArgument::describe).toList());
        }
        return List.copyOf(args);
    }
}
