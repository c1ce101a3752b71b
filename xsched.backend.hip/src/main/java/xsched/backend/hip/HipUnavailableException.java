package xsched.backend.hip;

/**
 * HIP cannot be used in this process: the runtime library is missing or lacks an entry point this
 * backend needs, or the runtime finds no AMD GPU. The message says which, starting with "HIP
 * unsupported because".
 */
public class HipUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason what is missing, e.g. "the HIP runtime found no AMD GPU"
     * @param cause  the underlying failure, or {@code null}
     */
    public HipUnavailableException(String reason, Throwable cause) {
        super("HIP unsupported because " + reason, cause);
        this.reason = reason;
    }

    /** @return the reason alone, without the "HIP unsupported because" prefix */
    public String reason() {
        return reason;
    }
}
