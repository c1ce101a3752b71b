package xsched.daemon.internal.client;

import java.nio.file.Path;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.unix.Groups;

/** Builds a client runtime with its relay policy and starts its link. */
public final class NodeLinks {
    private NodeLinks() {
    }

    /**
     * @param xsched the runtime
     * @param link   its link to the daemon
     */
    public record Started(EmbeddedXsched xsched, NodeLink link) {
    }

    /**
     * @param runtime the application's runtime builder
     * @param name    the client's name
     * @param socket  the daemon's socket
     * @param policy  the name to install the relay policy under
     * @return the built runtime and its running link
     */
    public static Started start(EmbeddedXsched.Builder runtime, String name, Path socket, String policy) {
        RelayPolicy relay = new RelayPolicy();
        NodeLink link = new NodeLink(socket, name, relay);
        EmbeddedXsched xsched = runtime.policy(policy, relay).activePolicy(policy).build();
        link.start(xsched);
        return new Started(xsched, link);
    }

    /** @return this process's effective user id */
    public static long effectiveUid() {
        return Groups.effectiveUid();
    }
}
