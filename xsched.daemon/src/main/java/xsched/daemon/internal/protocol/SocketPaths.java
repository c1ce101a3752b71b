package xsched.daemon.internal.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the node daemon's socket is, when nobody says: {@code /run/xsched/xsched.sock} for a
 * daemon run by root (the node-wide one), else {@code $XDG_RUNTIME_DIR/xsched/xsched.sock} (a
 * user's own), else {@code /tmp/xsched-<uid>/xsched.sock}. Clients take {@code XSCHED_SOCKET}
 * first, then the node-wide socket if it exists, then the user's.
 */
public final class SocketPaths {
    /** The environment variable that names the socket for clients. */
    public static final String ENV = "XSCHED_SOCKET";
    static final Path NODE = Path.of("/run/xsched/xsched.sock");

    private SocketPaths() {
    }

    /**
     * @param euid the daemon's effective user id
     * @param env  the environment
     * @return where a daemon listens by default
     */
    public static Path forDaemon(long euid, Map<String, String> env) {
        return euid == 0 ? NODE : forUser(euid, env);
    }

    /**
     * @param euid the client's effective user id
     * @param env  the environment
     * @return where a client looks for the daemon
     */
    public static Path forClient(long euid, Map<String, String> env) {
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        return Files.exists(NODE) ? NODE : forUser(euid, env);
    }

    private static Path forUser(long euid, Map<String, String> env) {
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        return runtimeDir != null && !runtimeDir.isBlank() ? Path.of(runtimeDir, "xsched", "xsched.sock")
                : Path.of(System.getProperty("java.io.tmpdir"), "xsched-" + euid, "xsched.sock");
    }
}
