package xsched.backend.levelzero;

/** One captured kernel argument: a buffer's address, a scalar's bytes, or a local-memory size. */
sealed interface KernelArg {
    /** A pointer parameter: the buffer's USM address. */
    record Buffer(ZeBuffer buffer) implements KernelArg {
    }

    /** A by-value parameter; {@code bytes} in native order. */
    record Scalar(String kind, byte[] bytes) implements KernelArg {
    }

    /** A {@code __local} pointer parameter: the size to allocate per group. */
    record Local(int bytes) implements KernelArg {
    }

    /** @return what the argument is, for messages */
    default String describe() {
        return switch (this) {
            case Buffer b -> "buffer";
            case Scalar s -> s.kind() + "(" + s.bytes().length + " bytes)";
            case Local l -> "local memory(" + l.bytes() + " bytes)";
        };
    }

    /** @return the size {@code zeKernelSetArgumentValue} is given */
    default long size() {
        return switch (this) {
            case Buffer b -> 8;
            case Scalar s -> s.bytes().length;
            case Local l -> l.bytes();
        };
    }
}
