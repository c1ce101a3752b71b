package xsched.daemon.internal.protocol;

import java.io.IOException;

/** A frame that breaks the protocol: malformed, oversized, of an unknown type, or out of order. */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
