package xsched.backend.levelzero;

/**
 * A Level Zero call failed. The message names the call, the result's name and its code as the
 * header writes it, e.g. {@code zeCommandListAppendLaunchKernel failed: ZE_RESULT_ERROR_INVALID_ARGUMENT (0x78000004)}.
 */
public class ZeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int result;
    private final String resultName;

    /**
     * @param function   the Level Zero function, e.g. {@code zeModuleCreate}
     * @param result     the {@code ze_result_t} it returned
     * @param resultName the result's name, e.g. {@code ZE_RESULT_ERROR_MODULE_BUILD_FAILURE}
     * @param detail     extra context (a build log), or {@code null}
     */
    public ZeException(String function, int result, String resultName, String detail) {
        super(function + " failed: " + resultName + " (0x" + Integer.toHexString(result) + ")"
                + (detail == null || detail.isBlank() ? "" : "; " + detail));
        this.function = function;
        this.result = result;
        this.resultName = resultName;
    }

    /** @return the Level Zero function that failed */
    public String function() {
        return function;
    }

    /** @return the {@code ze_result_t} it returned */
    public int result() {
        return result;
    }

    /** @return the result's name */
    public String resultName() {
        return resultName;
    }
}
