package xsched.daemon.internal.server;

import java.util.OptionalLong;
import xsched.daemon.internal.unix.PeerCredentials;

/**
 * Who may do what. Everyone may hint their own queues and processes; the node's administrators
 * (root, the daemon's own user, members of the admin group) may also change the policy, give
 * global hints, and act on other users' queues and processes.
 */
final class Authorizer {
    private final long daemonUid;
    private final OptionalLong adminGid;
    private final String adminGroup;

    Authorizer(long daemonUid, String adminGroup, OptionalLong adminGid) {
        this.daemonUid = daemonUid;
        this.adminGroup = adminGroup;
        this.adminGid = adminGid;
    }

    boolean admin(PeerCredentials peer) {
        return peer.uid() == 0 || peer.uid() == daemonUid || adminGid.isPresent() && peer.inGroup(adminGid.getAsLong());
    }

    /** @return why a peer who is not an administrator may not do something */
    String needAdmin(PeerCredentials peer, String what) {
        return what + " needs root, uid " + daemonUid + " (the daemon's user)"
                + (adminGroup.isEmpty() ? "" : adminGid.isPresent() ? " or the group '" + adminGroup + "'"
                        : " or the group '" + adminGroup + "' (which does not exist on this node)")
                + "; you are uid " + peer.uid();
    }
}
