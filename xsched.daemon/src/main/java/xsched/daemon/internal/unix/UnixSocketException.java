package xsched.daemon.internal.unix;

import java.io.IOException;

/** A socket call failed; the message names the call, the path where there is one, and the errno. */
public final class UnixSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    UnixSocketException(String what, int errno) {
        super(what + ": " + Libc.describe(errno));
        this.errno = errno;
    }

    /** @return the C library's errno */
    public int errno() {
        return errno;
    }
}
