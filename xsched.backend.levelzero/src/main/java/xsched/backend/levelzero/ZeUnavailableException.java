package xsched.backend.levelzero;

/**
 * Level Zero cannot be used for the device type asked for in this process: the loader is missing or
 * lacks an entry point, no driver is installed ({@code zeInit} or {@code zeDriverGet} fail), or no
 * driver offers a device of that type. The message says which, starting with "Level Zero
 * unsupported because".
 */
public class ZeUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason what is missing, e.g. "no Level Zero driver is installed"
     * @param cause  the underlying failure, or {@code null}
     */
    public ZeUnavailableException(String reason, Throwable cause) {
        super("Level Zero unsupported because " + reason, cause);
        this.reason = reason;
    }

    /** @return the reason alone, without the "Level Zero unsupported because" prefix */
    public String reason() {
        return reason;
    }
}
