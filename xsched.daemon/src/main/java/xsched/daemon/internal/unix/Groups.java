package xsched.daemon.internal.unix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalLong;

/** Group and user lookups through the C library (so NSS sources such as LDAP count too). */
public final class Groups {
    /** {@code sizeof(struct group)} on 64-bit Linux; {@code gr_gid} is at offset 16. */
    private static final int GROUP_SIZE = 32;
    private static final int GR_GID_OFFSET = 16;

    private Groups() {
    }

    /**
     * @param name a group name
     * @return its id, or empty when there is no such group
     */
    public static OptionalLong gidOf(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment group = arena.allocate(GROUP_SIZE);
            MemorySegment result = arena.allocate(ValueLayout.ADDRESS);
            long size = 16 * 1024;
            while (true) {
                MemorySegment buffer = arena.allocate(size);
                int rc = Libc.getgrnam_r(arena.allocateFrom(name), group, buffer, size, result);
                if (rc == Libc.ERANGE && size < 1 << 22) {
                    size *= 4;
                    continue;
                }
                if (rc != 0 || result.get(ValueLayout.ADDRESS, 0).equals(MemorySegment.NULL)) {
                    return OptionalLong.empty();
                }
                return OptionalLong.of(Integer.toUnsignedLong(group.get(ValueLayout.JAVA_INT, GR_GID_OFFSET)));
            }
        }
    }

    /** @return this process's effective user id */
    public static long effectiveUid() {
        return Integer.toUnsignedLong(Libc.geteuid());
    }
}
