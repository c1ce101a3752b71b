package xsched.daemon.internal.unix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connected Unix domain stream socket in blocking mode. One thread reads (through
 * {@link #input()}), one thread writes (through {@link #output()}); {@link #close()} may come from
 * any thread and wakes both.
 */
public final class UnixSocket implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    /** System property: microseconds a reader polls the socket before blocking in recv. */
    public static final String SPIN_PROPERTY = "xsched.daemon.spin.us";

    private final int fd;
    private final long spinNanos = Long.getLong(SPIN_PROPERTY, 0) * 1_000;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicInteger users = new AtomicInteger();
    private final SocketInput input = new SocketInput();
    private final OutputStream output = new SocketOutput();

    UnixSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to a listening socket.
     *
     * @param path the socket's path
     * @return the connected socket
     * @throws UnixSocketException when it cannot connect (no such file, refused, not allowed)
     */
    public static UnixSocket connect(Path path) throws UnixSocketException {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new UnixSocketException("socket", Libc.errno());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SocketAddress.of(arena, path);
            int rc;
            do {
                rc = Libc.connect(fd, address, Libc.SOCKADDR_UN_SIZE);
            } while (rc < 0 && Libc.errno() == Libc.EINTR);
            if (rc < 0) {
                int errno = Libc.errno();
                Libc.close(fd);
                throw new UnixSocketException("connect to " + path, errno);
            }
            return new UnixSocket(fd);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * @return the peer's credentials as the kernel recorded them
     * @throws UnixSocketException when the kernel does not say
     */
    public PeerCredentials peer() throws UnixSocketException {
        if (!enter()) {
            throw new UnixSocketException("getsockopt(SO_PEERCRED)", 9);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cred = arena.allocate(12);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 12);
            if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, cred, length) < 0) {
                throw new UnixSocketException("getsockopt(SO_PEERCRED)", Libc.errno());
            }
            long pid = cred.get(ValueLayout.JAVA_INT, 0);
            long uid = Integer.toUnsignedLong(cred.get(ValueLayout.JAVA_INT, 4));
            long gid = Integer.toUnsignedLong(cred.get(ValueLayout.JAVA_INT, 8));
            return new PeerCredentials(pid, uid, gid, groups(arena));
        } finally {
            leave();
        }
    }

    private long[] groups(Arena arena) {
        MemorySegment list = arena.allocate(ValueLayout.JAVA_INT, 256);
        MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) list.byteSize());
        if (Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERGROUPS, list, length) < 0) {
            return new long[0];
        }
        int n = length.get(ValueLayout.JAVA_INT, 0) / 4;
        long[] groups = new long[n];
        for (int i = 0; i < n; i++) {
            groups[i] = Integer.toUnsignedLong(list.getAtIndex(ValueLayout.JAVA_INT, i));
        }
        return groups;
    }

    /** @return the stream of bytes from the peer; end of stream when the peer closed or after {@link #close()} */
    public InputStream input() {
        return input;
    }

    /** @return the stream of bytes to the peer; unbuffered, so wrap it */
    public OutputStream output() {
        return output;
    }

    /**
     * Sends what the socket takes now, without waiting.
     *
     * @param b   bytes
     * @param off where they start
     * @param len how many
     * @return how many were sent, 0 when the socket's buffer is full
     * @throws IOException when the socket is closed or sending failed
     */
    public int trySend(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!enter()) {
            throw new IOException("socket closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(len);
            MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, len);
            while (true) {
                long n = Libc.send(fd, buffer, len, Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT);
                if (n >= 0) {
                    return (int) n;
                }
                int errno = Libc.errno();
                if (errno == Libc.EAGAIN) {
                    return 0;
                }
                if (errno != Libc.EINTR) {
                    throw new UnixSocketException("send", errno);
                }
            }
        } finally {
            leave();
        }
    }

    /**
     * Shuts the connection down, which wakes a thread blocked reading or writing it, and releases
     * the descriptor. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.shutdown(fd, Libc.SHUT_RDWR);
            if (users.get() == 0) {
                release();
            }
        }
    }

    /**
     * Enters a call on the descriptor; the descriptor is released only when no call is in it, so
     * that a call never reaches a descriptor number the process has since reused.
     */
    private boolean enter() {
        users.incrementAndGet();
        if (closed.get()) {
            leave();
            return false;
        }
        return true;
    }

    private void leave() {
        if (users.decrementAndGet() == 0 && closed.get()) {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            Libc.close(fd);
        }
    }

    private final class SocketInput extends InputStream {
        final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK);

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!enter()) {
                return -1;
            }
            long n;
            int errno = 0;
            try {
                n = spin(len);
                if (n > 0) {
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                    return (int) n;
                }
                do {
                    n = Libc.recv(fd, buffer, Math.min(len, CHUNK), 0);
                    errno = n < 0 ? Libc.errno() : 0;
                } while (n < 0 && errno == Libc.EINTR && !closed.get());
            } finally {
                leave();
            }
            if (n < 0) {
                if (closed.get()) {
                    return -1;
                }
                throw new UnixSocketException("recv", errno);
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
            return (int) n;
        }
    }

    /**
     * Polls the socket for up to {@link #spinNanos} (a thread blocked in recv pays the operating
     * system's wake-up when data comes: tens to hundreds of microseconds on a virtual machine).
     *
     * @return bytes read into the buffer, or 0 when nothing came (then block)
     */
    private long spin(int len) {
        if (spinNanos <= 0) {
            return 0;
        }
        long end = System.nanoTime() + spinNanos;
        do {
            long n = Libc.recv(fd, input.buffer, Math.min(len, CHUNK), Libc.MSG_DONTWAIT);
            if (n > 0) {
                return n;
            }
            if (n == 0 || Libc.errno() != Libc.EAGAIN) {
                return 0;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0 && !closed.get());
        return 0;
    }

    private final class SocketOutput extends OutputStream {
        private final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int chunk = Math.min(len, CHUNK);
                MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
                int sent = 0;
                while (sent < chunk) {
                    if (!enter()) {
                        throw new IOException("socket closed");
                    }
                    long n;
                    int errno;
                    try {
                        n = Libc.send(fd, buffer.asSlice(sent), chunk - sent, Libc.MSG_NOSIGNAL);
                        errno = n < 0 ? Libc.errno() : 0;
                    } finally {
                        leave();
                    }
                    if (n < 0) {
                        if (errno == Libc.EINTR) {
                            continue;
                        }
                        throw new UnixSocketException("send", errno);
                    }
                    sent += (int) n;
                }
                off += chunk;
                len -= chunk;
            }
        }
    }
}
