package xsched.daemon.internal.unix;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls a Unix domain socket with peer credentials needs, bound with FFM. The
 * JDK's own Unix domain channels report a peer's user and group names but not its pid, and give no
 * file descriptor for {@code getsockopt}; so the daemon's sockets are these, used from platform
 * threads in blocking mode. Linux only (the constants are Linux's).
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_PEERCRED = 17;
    static final int SO_PEERGROUPS = 59;
    static final int SHUT_RDWR = 2;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ERANGE = 34;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family and 108 bytes of path. */
    static final int SOCKADDR_UN_SIZE = 110;
    static final int SUN_PATH_MAX = 107;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURED = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle SOCKET = withErrno("socket", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    private static final MethodHandle BIND = withErrno("bind", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle LISTEN = withErrno("listen", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle ACCEPT4 = withErrno("accept4", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
    private static final MethodHandle CONNECT = withErrno("connect", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle RECV = withErrno("recv", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle SEND = withErrno("send", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT));
    private static final MethodHandle SHUTDOWN = withErrno("shutdown", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle GETSOCKOPT = withErrno("getsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle CHMOD = withErrno("chmod", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle CHOWN = withErrno("chown", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle UNLINK = withErrno("unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle GETGRNAM_R = withErrno("getgrnam_r",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(find("geteuid"), FunctionDescriptor.of(C_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
            FunctionDescriptor.of(C_POINTER.withTargetLayout(MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)), C_INT));

    private Libc() {
    }

    private static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("the C library has no '" + name + "'"));
    }

    private static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** @return the errno the last call of this thread captured */
    static int errno() {
        return (int) ERRNO.get(CAPTURED.get(), 0L);
    }

    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(CAPTURED.get(), domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(CAPTURED.get(), fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(CAPTURED.get(), fd, backlog);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int accept4(int fd, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(CAPTURED.get(), fd, MemorySegment.NULL, MemorySegment.NULL, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int connect(int fd, MemorySegment address, int length) {
        try {
            return (int) CONNECT.invokeExact(CAPTURED.get(), fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recv(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) RECV.invokeExact(CAPTURED.get(), fd, buffer, length, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long send(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) SEND.invokeExact(CAPTURED.get(), fd, buffer, length, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(CAPTURED.get(), fd, how);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(CAPTURED.get(), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(CAPTURED.get(), fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int chmod(MemorySegment path, int mode) {
        try {
            return (int) CHMOD.invokeExact(CAPTURED.get(), path, mode);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int chown(MemorySegment path, int uid, int gid) {
        try {
            return (int) CHOWN.invokeExact(CAPTURED.get(), path, uid, gid);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int unlink(MemorySegment path) {
        try {
            return (int) UNLINK.invokeExact(CAPTURED.get(), path);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getgrnam_r(MemorySegment name, MemorySegment group, MemorySegment buffer, long size, MemorySegment result) {
        try {
            return (int) GETGRNAM_R.invokeExact(CAPTURED.get(), name, group, buffer, size, result);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
