package xsched.daemon.internal.unix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A {@code struct sockaddr_un} for a path. */
final class SocketAddress {
    private SocketAddress() {
    }

    static MemorySegment of(Arena arena, Path path) throws UnixSocketException {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Libc.SUN_PATH_MAX) {
            throw new IllegalArgumentException("a Unix socket path must have 1…" + Libc.SUN_PATH_MAX + " bytes; '" + path
                    + "' has " + bytes.length);
        }
        MemorySegment address = arena.allocate(Libc.SOCKADDR_UN_SIZE);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return address;
    }

    static MemorySegment cString(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }
}
