package xsched.backend.hip;

/**
 * A HIP call failed. The message names the call, the runtime's name for the error and its code,
 * e.g. {@code hipModuleLaunchKernel failed: hipErrorInvalidConfiguration (9)}.
 */
public class HipException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;
    private final String errorName;

    /**
     * @param function  the HIP function, e.g. {@code hipModuleLoadData}
     * @param code      the {@code hipError_t} it returned
     * @param errorName the runtime's name for it, e.g. {@code hipErrorNoBinaryForGpu}
     * @param detail    the runtime's description or extra context, or {@code null}
     */
    public HipException(String function, int code, String errorName, String detail) {
        super(function + " failed: " + errorName + " (" + code + ")" + (detail == null || detail.isBlank() ? "" : "; " + detail));
        this.function = function;
        this.code = code;
        this.errorName = errorName;
    }

    /** @return the HIP function that failed */
    public String function() {
        return function;
    }

    /** @return the {@code hipError_t} it returned */
    public int code() {
        return code;
    }

    /** @return the runtime's name for the error */
    public String errorName() {
        return errorName;
    }
}
