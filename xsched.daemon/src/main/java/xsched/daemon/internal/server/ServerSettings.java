package xsched.daemon.internal.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.protocol.SocketPaths;
import xsched.daemon.internal.unix.Groups;

/**
 * How the daemon listens and whom it trusts.
 *
 * @param socket             the socket's path
 * @param mode               its file mode
 * @param socketGroup        the group to give the socket file; empty for the daemon's own
 * @param adminGroup         members may change the policy and act on every queue; empty for none
 * @param maxConnections     the most clients connected at once
 * @param maxQueuesPerClient the most queues one connection may open
 * @param maxFrame           the largest frame accepted, in bytes
 * @param helloTimeoutMillis how long a connection may stay without saying hello before it is closed
 */
public record ServerSettings(Path socket, int mode, String socketGroup, String adminGroup, int maxConnections,
        int maxQueuesPerClient, int maxFrame, int helloTimeoutMillis) {
    /** Keys of the settings, as ConfigAdmin properties and (prefixed with {@code xsched.daemon.}) framework properties. */
    public static final String SOCKET_PATH = "socket.path";
    public static final String SOCKET_MODE = "socket.mode";
    public static final String SOCKET_GROUP = "socket.group";
    public static final String ADMIN_GROUP = "admin.group";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_QUEUES = "max.queues.per.client";
    public static final String MAX_FRAME = "max.frame.bytes";
    public static final String HELLO_TIMEOUT = "hello.timeout.ms";

    public ServerSettings {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(socketGroup, "socketGroup");
        Objects.requireNonNull(adminGroup, "adminGroup");
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("socket mode must be within 0777, not 0" + Integer.toOctalString(mode));
        }
        requireRange(maxConnections, 1, 65_536, MAX_CONNECTIONS);
        requireRange(maxQueuesPerClient, 1, 1 << 20, MAX_QUEUES);
        requireRange(maxFrame, 256, 16 << 20, MAX_FRAME);
        requireRange(helloTimeoutMillis, 100, 600_000, HELLO_TIMEOUT);
    }

    /**
     * Reads settings; what the lookup does not know takes its default.
     *
     * @param lookup a setting's text by key, or null
     * @return the settings
     * @throws IllegalArgumentException naming the key and the bad value
     */
    public static ServerSettings from(Function<String, String> lookup) {
        String path = lookup.apply(SOCKET_PATH);
        Path socket = path == null || path.isBlank() ? SocketPaths.forDaemon(Groups.effectiveUid(), System.getenv()) : Path.of(path.strip());
        return new ServerSettings(socket, octal(lookup.apply(SOCKET_MODE), 0660), text(lookup.apply(SOCKET_GROUP), ""),
                text(lookup.apply(ADMIN_GROUP), "xsched"), number(lookup, MAX_CONNECTIONS, 256), number(lookup, MAX_QUEUES, 1024),
                number(lookup, MAX_FRAME, FrameCodec.DEFAULT_MAX_FRAME), number(lookup, HELLO_TIMEOUT, 10_000));
    }

    /** @return settings for a socket at a path, the rest by default */
    public static ServerSettings at(Path socket) {
        return from(key -> key.equals(SOCKET_PATH) ? socket.toString() : null);
    }

    /** @return these settings with another socket mode */
    public ServerSettings withMode(int newMode) {
        return new ServerSettings(socket, newMode, socketGroup, adminGroup, maxConnections, maxQueuesPerClient, maxFrame,
                helloTimeoutMillis);
    }

    private static String text(String value, String fallback) {
        return value == null ? fallback : value.strip();
    }

    private static int octal(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip(), 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SOCKET_MODE + " must be an octal file mode such as 0660, not '" + value + "'");
        }
    }

    private static int number(Function<String, String> lookup, String key, int fallback) {
        String value = lookup.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static void requireRange(int value, int min, int max, String key) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + "…" + max + ", not " + value);
        }
    }
}
