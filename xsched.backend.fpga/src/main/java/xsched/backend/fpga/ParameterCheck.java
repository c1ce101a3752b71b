package xsched.backend.fpga;

import java.util.Locale;
import java.util.OptionalInt;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.support.KernelArgument;

/** Checks captured kernel arguments against what the kernel's argument info says of each parameter. */
final class ParameterCheck {
    private ParameterCheck() {
    }

    /**
     * Checks an argument against parameter {@code index} of {@code kernel}.
     *
     * @throws IllegalArgumentException naming the parameter and what it takes
     */
    static void check(OpenClKernel kernel, int index, KernelArgument<OpenClBuffer> arg) {
        OptionalInt qualifier = kernel.qualifier(index);
        if (qualifier.isEmpty()) {
            return;
        }
        String type = kernel.typeName(index);
        String where = "kernel '" + kernel.name() + "' parameter " + index + " (" + type + ")";
        switch (qualifier.getAsInt()) {
            case OpenCl.CL_KERNEL_ARG_ADDRESS_GLOBAL, OpenCl.CL_KERNEL_ARG_ADDRESS_CONSTANT -> {
                if (!(arg instanceof KernelArgument.Buffer)) {
                    throw new IllegalArgumentException(where + " is a global pointer and takes a buffer, not " + arg.describe());
                }
            }
            case OpenCl.CL_KERNEL_ARG_ADDRESS_LOCAL -> {
                if (!(arg instanceof KernelArgument.Local)) {
                    throw new IllegalArgumentException(where + " is a local pointer and takes a local memory size, not " + arg.describe());
                }
            }
            default -> {
                if (!(arg instanceof KernelArgument.Scalar<OpenClBuffer> scalar)) {
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
