package xsched.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.client.NodeLinks;
import xsched.daemon.internal.client.NodeLink;
import xsched.daemon.internal.protocol.SocketPaths;

/**
 * An application's xsched runtime scheduled by the node daemon: the application's queues run in
 * its own process, on its own backends, and obey the daemon's policy together with every other
 * process's queues. Build one from an {@link EmbeddedXsched.Builder} (backends given, policies
 * not needed) and use {@link #xsched()} as any {@code Xsched}:
 *
 * <pre>{@code
 * try (NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(host), "my-app")) {
 *     XQueue q = client.xsched().createQueue("host:0", QueueOptions.defaults());
 *     client.xsched().hint(new Hint.Priority(HintTarget.queue(q.id()), 5));
 *     ...
 * }
 * }</pre>
 *
 * <p>Fail-open: while no daemon answers, queues run unscheduled by the node (the client says so
 * once in its log and keeps trying); when the daemon goes away, every queue it suspended resumes at
 * once; on reconnection the client registers its queues and hints again.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class NodeClient implements AutoCloseable {
    /** The name of the client's own policy, which relays to the daemon. */
    public static final String POLICY = "node";

    private final EmbeddedXsched xsched;
    private final NodeLink link;

    private NodeClient(EmbeddedXsched xsched, NodeLink link) {
        this.xsched = xsched;
        this.link = link;
    }

    /**
     * Builds the runtime and connects it to the daemon at the default socket ({@code XSCHED_SOCKET},
     * else the node's, else the user's).
     *
     * @param runtime the application's runtime, backends given; its active policy becomes {@link #POLICY}
     * @param name    a name for this client in the daemon's listings
     * @return the client; connecting goes on in the background
     */
    public static NodeClient connect(EmbeddedXsched.Builder runtime, String name) {
        return connect(runtime, name, defaultSocket());
    }

    /**
     * Builds the runtime and connects it to the daemon at a socket.
     *
     * @param runtime the application's runtime, backends given; its active policy becomes {@link #POLICY}
     * @param name    a name for this client in the daemon's listings
     * @param socket  the daemon's socket
     * @return the client; connecting goes on in the background
     */
    public static NodeClient connect(EmbeddedXsched.Builder runtime, String name, Path socket) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(socket, "socket");
        NodeLinks.Started started = NodeLinks.start(runtime, name, socket, POLICY);
        return new NodeClient(started.xsched(), started.link());
    }

    /** @return where a client looks for the daemon when not told */
    public static Path defaultSocket() {
        return SocketPaths.forClient(NodeLinks.effectiveUid(), System.getenv());
    }

    /** @return the application's runtime */
    public EmbeddedXsched xsched() {
        return xsched;
    }

    /** @return whether the daemon is connected now */
    public boolean connected() {
        return link.connected();
    }

    /**
     * Waits for the connection to the daemon.
     *
     * @param timeout how long at most
     * @return whether connected
     * @throws InterruptedException when interrupted
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return link.awaitConnected(timeout.toMillis());
    }

    /** @return how many times a connection was established (reconnections included) */
    public long connections() {
        return link.connections();
    }

    /**
     * @param queueId a queue of this client's runtime
     * @return its id in the daemon's listings, or -1 while not registered there
     */
    public long nodeId(long queueId) {
        return link.nodeId(queueId);
    }

    /** @return the daemon's active policy, as last announced */
    public String daemonPolicy() {
        return link.daemonPolicy();
    }

    /**
     * Asks the daemon to run another policy; only root, the daemon's user and its admin group may.
     *
     * @param policy the policy's name
     * @return whether the request was sent; a refusal appears in {@link #refusals()}
     */
    public boolean requestPolicy(String policy) {
        return link.requestPolicy(Objects.requireNonNull(policy, "policy"));
    }

    /** @return the daemon's refusals of this client's requests (hints, policy changes), oldest first */
    public List<String> refusals() {
        return link.refusals();
    }

    /** Disconnects (resuming what the daemon suspended), then closes the runtime. Idempotent. */
    @Override
    public void close() {
        link.close();
        xsched.close();
    }
}
