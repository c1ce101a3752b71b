package xsched.backend.fpga;

/**
 * OpenCL cannot be used in this process: the ICD loader is missing, no platform is registered, or
 * no platform has a device. The message says which, starting with "OpenCL unsupported because".
 */
public class OpenClUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason what is missing, e.g. "no OpenCL platform is registered"
     * @param cause  the underlying failure, or {@code null}
     */
    public OpenClUnavailableException(String reason, Throwable cause) {
        super("OpenCL unsupported because " + reason, cause);
        this.reason = reason;
    }

    /** @return the reason alone, without the "OpenCL unsupported because" prefix */
    public String reason() {
        return reason;
    }
}
