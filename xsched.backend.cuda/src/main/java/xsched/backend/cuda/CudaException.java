package xsched.backend.cuda;

import java.util.Objects;

/**
 * A CUDA driver call failed. Carries the driver function's name, the {@code CUresult} code and
 * the driver's name and description of that code, e.g. {@code cuLaunchKernel failed:
 * CUDA_ERROR_INVALID_VALUE (1): invalid argument}.
 */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;
    private final String errorName;

    /**
     * @param function    the driver function, e.g. {@code cuMemAlloc_v2}
     * @param code        the {@code CUresult} it returned
     * @param errorName   the code's name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}
     * @param description the driver's description of the code
     * @param detail      more context (a JIT log, the object involved), or {@code null}
     */
    public CudaException(String function, int code, String errorName, String description, String detail) {
        super(message(function, code, errorName, description, detail));
        this.function = Objects.requireNonNull(function, "function");
        this.code = code;
        this.errorName = Objects.requireNonNull(errorName, "errorName");
    }

    private static String message(String function, int code, String errorName, String description, String detail) {
        StringBuilder sb = new StringBuilder().append(function).append(" failed: ").append(errorName)
                .append(" (").append(code).append(')');
        if (description != null && !description.isBlank()) {
            sb.append(": ").append(description);
        }
        if (detail != null && !detail.isBlank()) {
            sb.append(" — ").append(detail.strip());
        }
        return sb.toString();
    }

    /** @return the driver function that failed */
    public String function() {
        return function;
    }

    /** @return the {@code CUresult} code */
    public int code() {
        return code;
    }

    /** @return the code's name, e.g. {@code CUDA_ERROR_ILLEGAL_ADDRESS} */
    public String errorName() {
        return errorName;
    }
}
