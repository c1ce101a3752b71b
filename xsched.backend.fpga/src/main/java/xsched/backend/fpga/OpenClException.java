package xsched.backend.fpga;

/**
 * An OpenCL call failed. The message names the call, the status and its {@code CL_…} name, e.g.
 * {@code clEnqueueNDRangeKernel failed: CL_INVALID_WORK_GROUP_SIZE (-54)}.
 */
public class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int status;
    private final String statusName;

    /**
     * @param function   the OpenCL function, e.g. {@code clBuildProgram}
     * @param status     the status it returned (negative)
     * @param statusName the status's name, e.g. {@code CL_BUILD_PROGRAM_FAILURE}
     * @param detail     extra context (a build log), or {@code null}
     */
    public OpenClException(String function, int status, String statusName, String detail) {
        super(function + " failed: " + statusName + " (" + status + ")" + (detail == null || detail.isBlank() ? "" : "; " + detail));
        this.function = function;
        this.status = status;
        this.statusName = statusName;
    }

    /** @return the OpenCL function that failed */
    public String function() {
        return function;
    }

    /** @return the status it returned */
    public int status() {
        return status;
    }

    /** @return the status's name */
    public String statusName() {
        return statusName;
    }
}
