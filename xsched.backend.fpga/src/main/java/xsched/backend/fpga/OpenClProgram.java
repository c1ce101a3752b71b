package xsched.backend.fpga;

import java.util.Objects;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.ProgramCalls;

/**
 * A built program: from OpenCL C source ({@link OpenClDevice#program(String, String)}) or from a
 * device binary such as an FPGA bitstream ({@link OpenClDevice#programFromBinary(byte[], String)}).
 * A build failure throws {@link IllegalArgumentException} carrying the build log.
 */
public final class OpenClProgram extends OpenClResource {
    private final long program;
    private final String buildLog;

    private OpenClProgram(OpenClDevice device, long program, String buildLog) {
        super(device);
        this.program = program;
        this.buildLog = buildLog;
    }

    static OpenClProgram build(OpenClDevice device, long program, String options, String what) {
        String opts = Objects.requireNonNullElse(options, "");
        int rc = ProgramCalls.build(program, device.handle(), opts);
        String log;
        try {
            log = ProgramCalls.buildLog(program, device.handle());
        } catch (RuntimeException e) {
            log = "(no build log: " + e.getMessage() + ")";
        }
        if (rc != OpenCl.CL_SUCCESS) {
            OpenCl.releaseProgram(program);
            throw new IllegalArgumentException("the " + what + " did not build for " + device.id() + ": "
                    + OpenCl.error(rc, "clBuildProgram", null).getMessage() + (log.isBlank() ? "" : "\nbuild log:\n" + log));
        }
        return new OpenClProgram(device, program, log);
    }

    /** @return the build log (warnings), possibly empty */
    public String buildLog() {
        return buildLog;
    }

    /**
     * @param name a {@code __kernel} function of the program
     * @return the kernel
     * @throws IllegalArgumentException when the program has no kernel of that name
     */
    public OpenClKernel kernel(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return new OpenClKernel(this, name);
    }

    long handle() {
        return program;
    }

    @Override
    String describe() {
        return "program on " + device().id();
    }

    @Override
    void release() {
        OpenCl.releaseProgram(program);
    }
}
