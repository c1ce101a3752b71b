package xsched.backend.cuda;

/**
 * CUDA cannot be used in this process: the driver library is missing, {@code cuInit} failed, or
 * there is no CUDA device. The message says which, starting with "CUDA unsupported because".
 */
public class CudaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason what is missing, e.g. "no CUDA device was found"
     * @param cause  the underlying failure, or {@code null}
     */
    public CudaUnavailableException(String reason, Throwable cause) {
        super("CUDA unsupported because " + reason, cause);
        this.reason = reason;
    }

    /** @return the reason alone, without the "CUDA unsupported because" prefix */
    public String reason() {
        return reason;
    }
}
