package xsched.daemon.internal.unix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening Unix domain stream socket at a path, with the file's mode and group set as asked.
 * A stale socket file (left by a daemon that died) is replaced; a live one (another daemon answers)
 * is an error. {@link #close()} wakes a thread blocked in {@link #accept()} and removes the file.
 */
public final class UnixServerSocket implements AutoCloseable {
    private final int fd;
    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger users = new AtomicInteger();

    private UnixServerSocket(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Binds and listens.
     *
     * @param path  where; the parent directory is created if missing
     * @param mode  the file mode, e.g. {@code 0660}
     * @param group the group id to give the file, or -1 to keep the process's
     * @return the listening socket
     * @throws IOException when the path is taken by a live socket or cannot be bound
     */
    public static UnixServerSocket bind(Path path, int mode, long group) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (UnixSocket live = UnixSocket.connect(path)) {
                throw new IOException("another daemon listens on " + path + "; stop it first or choose another socket path");
            } catch (UnixSocketException refused) {
                // Nobody answers: a stale file from a daemon that died.
                Files.delete(path);
            }
        }
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new UnixSocketException("socket", Libc.errno());
        }
        try (Arena arena = Arena.ofConfined()) {
            if (Libc.bind(fd, SocketAddress.of(arena, path), Libc.SOCKADDR_UN_SIZE) < 0) {
                throw new UnixSocketException("bind " + path, Libc.errno());
            }
            MemorySegment name = SocketAddress.cString(arena, path);
            if (group >= 0 && Libc.chown(name, -1, (int) group) < 0) {
                throw new UnixSocketException("chown " + path + " to group " + group, Libc.errno());
            }
            if (Libc.chmod(name, mode) < 0) {
                throw new UnixSocketException("chmod " + path + " to " + Integer.toOctalString(mode), Libc.errno());
            }
            if (Libc.listen(fd, 128) < 0) {
                throw new UnixSocketException("listen " + path, Libc.errno());
            }
            return new UnixServerSocket(fd, path);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            try (Arena arena = Arena.ofConfined()) {
                Libc.unlink(SocketAddress.cString(arena, path));
            }
            throw e;
        }
    }

    /** @return the socket's path */
    public Path path() {
        return path;
    }

    /**
     * Waits for the next connection.
     *
     * @return the connection
     * @throws IOException when the socket was closed (then {@link #closed()} is true) or accept failed
     */
    public UnixSocket accept() throws IOException {
        users.incrementAndGet();
        try {
            if (closed.get()) {
                throw new IOException("server socket " + path + " closed");
            }
            while (true) {
                int client = Libc.accept4(fd, Libc.SOCK_CLOEXEC);
                if (client >= 0) {
                    return new UnixSocket(client);
                }
                int errno = Libc.errno();
                if (closed.get()) {
                    throw new IOException("server socket " + path + " closed");
                }
                if (errno != Libc.EINTR) {
                    throw new UnixSocketException("accept on " + path, errno);
                }
            }
        } finally {
            if (users.decrementAndGet() == 0 && closed.get()) {
                release();
            }
        }
    }

    /** Stops listening, wakes {@link #accept()}, and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try (Arena arena = Arena.ofConfined()) {
                Libc.unlink(SocketAddress.cString(arena, path));
            }
            Libc.shutdown(fd, Libc.SHUT_RDWR);
            if (users.get() == 0) {
                release();
            }
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }
}
