package xsched.backend.fpga;

import java.util.OptionalInt;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.ProgramCalls;
import xsched.backend.fpga.OpenClException;

/**
 * A {@code __kernel} function of a program ({@code cl_kernel}). Launches are built with {@link
 * #launch(long...)}; their argument values are captured then and checked against the kernel's
 * parameters (count always; kind and size where the program kept argument info, as programs built
 * from source here do). Several queues may launch one kernel at once: setting its arguments and
 * enqueueing happen together under the kernel's lock, since {@code clSetKernelArg} is the one
 * OpenCL call that is not thread-safe on a shared object.
 */
public final class OpenClKernel extends OpenClResource {
    private final OpenClProgram program;
    private final String name;
    private final long kernel;
    private final int argCount;
    /** Address qualifier and type name per parameter; null entries when the program kept no info. */
    private final int[] qualifiers;
    private final String[] typeNames;

    OpenClKernel(OpenClProgram program, String name) {
        super(program.device());
        this.program = program;
        this.name = name;
        try {
            this.kernel = ProgramCalls.createKernel(program.handle(), name);
        } catch (OpenClException e) {
            if (e.status() == OpenCl.CL_INVALID_KERNEL_NAME) {
                throw new IllegalArgumentException("the program on " + program.device().id() + " has no kernel named '" + name + "'", e);
            }
            throw e;
        }
        this.argCount = ProgramCalls.argCount(kernel);
        int[] q = new int[argCount];
        String[] t = new String[argCount];
        boolean known = true;
        for (int i = 0; i < argCount && known; i++) {
            OptionalInt qualifier = ProgramCalls.argAddressQualifier(kernel, i);
            known = qualifier.isPresent();
            q[i] = qualifier.orElse(0);
            t[i] = known ? ProgramCalls.argTypeName(kernel, i) : null;
        }
        this.qualifiers = known ? q : null;
        this.typeNames = known ? t : null;
    }

    /** @return the function name */
    public String name() {
        return name;
    }

    /** @return the program it belongs to */
    public OpenClProgram program() {
        return program;
    }

    /** @return how many parameters it takes */
    public int argCount() {
        return argCount;
    }

    /**
     * Starts building a launch over an NDRange.
     *
     * @param globalSize global work sizes, one per dimension (1–3)
     * @return a builder: add the arguments in parameter order, optionally a work-group size, then build
     * @throws IllegalArgumentException for 0 or more than 3 dimensions or a size below 1
     */
    public NDRangeLaunch.Builder launch(long... globalSize) {
        return new NDRangeLaunch.Builder(this, globalSize);
    }

    long handle() {
        return kernel;
    }

    /** @return parameter {@code i}'s address qualifier, or empty when the program kept no argument info */
    OptionalInt qualifier(int i) {
        return qualifiers == null ? OptionalInt.empty() : OptionalInt.of(qualifiers[i]);
    }

    /** @return parameter {@code i}'s type name, or null when unknown */
    String typeName(int i) {
        return typeNames == null ? null : typeNames[i];
    }

    @Override
    String describe() {
        return "kernel '" + name + "' on " + device().id();
    }

    @Override
    void release() {
        OpenCl.releaseKernel(kernel);
    }
}
