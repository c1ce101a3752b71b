package xsched.backend.fpga;

import java.util.Locale;
import java.util.OptionalInt;
import xsched.backend.fpga.internal.ffm.OpenCl;

/** One captured kernel argument: a buffer, a scalar's bytes, or a local-memory size. */
sealed interface KernelArg {
    /** A {@code __global} or {@code __constant} pointer parameter. */
    record Buffer(OpenClBuffer buffer) implements KernelArg {
    }

    /** A by-value parameter; {@code bytes} in native order. */
    record Scalar(String kind, byte[] bytes) implements KernelArg {
    }

    /** A {@code __local} pointer parameter: the size to allocate per work-group. */
    record Local(long bytes) implements KernelArg {
    }

    /** @return what the argument is, for messages */
    default String describe() {
        return switch (this) {
            case Buffer b -> "buffer";
            case Scalar s -> s.kind() + "(" + s.bytes().length + " bytes)";
            case Local l -> "local memory(" + l.bytes() + " bytes)";
        };
    }

    /**
     * Checks an argument against parameter {@code index} of {@code kernel}.
     *
     * @throws IllegalArgumentException naming the parameter and what it takes
     */
    static void check(OpenClKernel kernel, int index, KernelArg arg) {
        OptionalInt qualifier = kernel.qualifier(index);
        if (qualifier.isEmpty()) {
            return;
        }
        String type = kernel.typeName(index);
        String where = "kernel '" + kernel.name() + "' parameter " + index + " (" + type + ")";
        switch (qualifier.getAsInt()) {
            case OpenCl.CL_KERNEL_ARG_ADDRESS_GLOBAL, OpenCl.CL_KERNEL_ARG_ADDRESS_CONSTANT -> {
                if (!(arg instanceof Buffer)) {
                    throw new IllegalArgumentException(where + " is a global pointer and takes a buffer, not " + arg.describe());
                }
            }
            case OpenCl.CL_KERNEL_ARG_ADDRESS_LOCAL -> {
                if (!(arg instanceof Local)) {
                    throw new IllegalArgumentException(where + " is a local pointer and takes a local memory size, not " + arg.describe());
                }
            }
            default -> {
                if (!(arg instanceof Scalar scalar)) {
                    throw new IllegalArgumentException(where + " is passed by value and takes a scalar, not " + arg.describe());
                }
                int size = scalarSize(type);
                if (size > 0 && size != scalar.bytes().length) {
                    throw new IllegalArgumentException(where + " is " + size + " bytes, but the argument is a " + arg.describe());
                }
            }
        }
    }

    /** @return the size of an OpenCL C scalar type, or 0 when not a known scalar (a vector, a struct) */
    private static int scalarSize(String type) {
        if (type == null) {
            return 0;
        }
        return switch (type.strip().toLowerCase(Locale.ROOT)) {
            case "char", "uchar", "bool" -> 1;
            case "short", "ushort", "half" -> 2;
            case "int", "uint", "float" -> 4;
            case "long", "ulong", "double", "size_t", "intptr_t", "uintptr_t", "ptrdiff_t" -> 8;
            default -> 0;
        };
    }
}
