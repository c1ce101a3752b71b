package xsched.daemon.internal.unix;

import java.util.Arrays;

/**
 * Who is at the other end of a Unix domain socket, as the kernel recorded it when the peer
 * connected ({@code SO_PEERCRED}, {@code SO_PEERGROUPS}): never what the peer says about itself.
 *
 * @param pid    the peer's process id
 * @param uid    its effective user id
 * @param gid    its effective group id
 * @param groups its supplementary groups (empty when the kernel does not report them)
 */
public record PeerCredentials(long pid, long uid, long gid, long[] groups) {
    public PeerCredentials {
        groups = groups.clone();
    }

    @Override
    public long[] groups() {
        return groups.clone();
    }

    /**
     * @param group a group id
     * @return whether the peer belongs to it, as its primary or a supplementary group
     */
    public boolean inGroup(long group) {
        return gid == group || Arrays.stream(groups).anyMatch(g -> g == group);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerCredentials p && p.pid == pid && p.uid == uid && p.gid == gid && Arrays.equals(p.groups, groups);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 31 + Long.hashCode(uid);
    }

    @Override
    public String toString() {
        return "pid " + pid + " uid " + uid + " gid " + gid;
    }
}
