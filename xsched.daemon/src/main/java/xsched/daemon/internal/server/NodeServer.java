package xsched.daemon.internal.server;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Xsched;
import xsched.core.engine.ForeignQueues;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.unix.Groups;
import xsched.daemon.internal.unix.PeerCredentials;
import xsched.daemon.internal.unix.UnixServerSocket;
import xsched.daemon.internal.unix.UnixSocket;

/**
 * The node daemon's server: listens on a Unix domain socket, learns each client's identity from
 * the kernel, and admits its queues into the runtime's scheduler. Works in OSGi (through
 * {@link DaemonComponent}) and in plain Java.
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

    private final Xsched xsched;
    private final ForeignQueues foreignQueues;
    private final ServerSettings settings;
    private final Authorizer authorizer;
    private final FrameCodec codec;
    private final UnixServerSocket listener;
    private final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;
    private final Thread policyWatch;
    private volatile String announcedPolicy;

    private NodeServer(Xsched xsched, ForeignQueues foreignQueues, ServerSettings settings, UnixServerSocket listener,
            OptionalLong adminGid) {
        this.xsched = xsched;
        this.foreignQueues = foreignQueues;
        this.settings = settings;
        this.listener = listener;
        this.codec = new FrameCodec(settings.maxFrame());
        this.authorizer = new Authorizer(Groups.effectiveUid(), settings.adminGroup(), adminGid);
        this.announcedPolicy = activePolicy();
        // (the watcher also enforces the hello timeout)
        this.acceptor = Thread.ofPlatform().daemon().name("xsched-daemon-accept").unstarted(this::acceptLoop);
        this.policyWatch = Thread.ofPlatform().daemon().name("xsched-daemon-policy").unstarted(this::watchPolicy);
    }

    /**
     * Starts listening.
     *
     * @param xsched        the runtime whose policy decides
     * @param foreignQueues its door for queues of other processes
     * @param settings      where to listen and whom to trust
     * @return the running server
     * @throws IOException when the socket cannot be bound (another daemon listens, no permission)
     */
    public static NodeServer start(Xsched xsched, ForeignQueues foreignQueues, ServerSettings settings) throws IOException {
        long socketGid = -1;
        if (!settings.socketGroup().isEmpty()) {
            socketGid = Groups.gidOf(settings.socketGroup()).orElseThrow(() -> new IOException(
                    "socket group '" + settings.socketGroup() + "' does not exist on this node"));
        }
        OptionalLong adminGid = settings.adminGroup().isEmpty() ? OptionalLong.empty() : Groups.gidOf(settings.adminGroup());
        UnixServerSocket listener = UnixServerSocket.bind(settings.socket(), settings.mode(), socketGid);
        NodeServer server = new NodeServer(xsched, foreignQueues, settings, listener, adminGid);
        server.acceptor.start();
        server.policyWatch.start();
        LOG.info("xsched node daemon listening on {} (mode 0{}{})", settings.socket(), Integer.toOctalString(settings.mode()),
                adminGid.isPresent() ? ", admin group '" + settings.adminGroup() + "'" : "");
        return server;
    }

    /** @return the settings it runs with */
    public ServerSettings settings() {
        return settings;
    }

    ForeignQueues foreignQueues() {
        return foreignQueues;
    }

    String activePolicy() {
        return xsched.activePolicy().orElse("");
    }

    /** @return the connected clients, oldest first */
    public List<ClientView> clients() {
        return sessions.values().stream().sorted(Comparator.comparingLong(ClientSession::number))
                .map(s -> new ClientView(s.number(), s.clientName(), s.peer().pid(), s.peer().uid(), s.peer().gid(),
                        s.queues().size(), s.connectedAt()))
                .toList();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            UnixSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.error("the daemon stops accepting clients on {}: {}", settings.socket(), e.getMessage());
                }
                return;
            }
            try {
                admitClient(socket);
            } catch (RuntimeException e) {
                LOG.error("a connection failed to start; closed", e);
                socket.close();
            }
        }
    }

    private void admitClient(UnixSocket socket) {
        PeerCredentials peer;
        try {
            peer = socket.peer();
        } catch (IOException e) {
            LOG.warn("closing a connection whose peer the kernel did not name: {}", e.getMessage());
            socket.close();
            return;
        }
        if (sessions.size() >= settings.maxConnections()) {
            LOG.warn("refusing {}: {} clients are connected, the most allowed ({} = {})", peer, sessions.size(),
                    ServerSettings.MAX_CONNECTIONS, settings.maxConnections());
            socket.close();
            return;
        }
        ClientSession session = new ClientSession(numbers.incrementAndGet(), socket, peer, this, codec);
        sessions.put(session.number(), session);
        if (closed.get()) {
            session.end("the daemon is stopping");
            return;
        }
        session.start();
    }

    void ended(ClientSession session) {
        sessions.remove(session.number());
    }

    /** @return a refusal message, or empty when the hint was given */
    Optional<String> hint(ClientSession from, Frame.HintFrame frame) {
        PeerCredentials peer = from.peer();
        Hint hint = frame.hint();
        HintTarget target;
        switch (frame.targetKind()) {
            case GLOBAL -> {
                if (!authorizer.admin(peer)) {
                    return Optional.of(authorizer.needAdmin(peer, "a global hint (" + hint.getClass().getSimpleName() + ")"));
                }
                target = HintTarget.global();
            }
            case OWN_QUEUE -> {
                long nodeId = from.nodeIdOf(frame.target());
                if (nodeId < 0) {
                    return Optional.of("you have no open queue " + frame.target());
                }
                target = HintTarget.queue(nodeId);
            }
            case NODE_QUEUE -> {
                Optional<RemoteQueue> q = queueOfNode(frame.target());
                long owner = q.map(r -> r.session().peer().uid()).orElse(-1L);
                if (q.isEmpty() && xsched.queue(frame.target()).isEmpty()) {
                    return Optional.of("the node has no queue " + frame.target());
                }
                if (owner != peer.uid() && !authorizer.admin(peer)) {
                    return Optional.of(authorizer.needAdmin(peer, "a hint for queue " + frame.target() + " of another user"));
                }
                target = HintTarget.queue(frame.target());
            }
            case PROCESS -> {
                if (frame.target() != peer.pid() && !authorizer.admin(peer)
                        && !sessions.values().stream().anyMatch(s -> s.peer().pid() == frame.target() && s.peer().uid() == peer.uid())) {
                    return Optional.of(authorizer.needAdmin(peer, "a hint for process " + frame.target() + " of another user"));
                }
                target = HintTarget.process(frame.target());
            }
            default -> throw new AssertionError(frame.targetKind());
        }
        try {
            xsched.hint(retarget(hint, target));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Hint retarget(Hint hint, HintTarget target) {
        return switch (hint) {
            case Hint.Priority p -> new Hint.Priority(target, p.priority());
            case Hint.Utilization u -> new Hint.Utilization(target, u.percent());
            case Hint.Timeslice t -> new Hint.Timeslice(target, t.timeslice());
            case Hint.Deadline d -> new Hint.Deadline(target, d.deadline());
            case Hint.Laxity l -> new Hint.Laxity(target, l.laxity(), l.priority(), l.criticalPriority());
            case Hint.KEdf k -> k;
            case Hint.ActiveWindow a -> a;
            case Hint.Reservation r -> new Hint.Reservation(target, r.computeUnits(), r.percent());
        };
    }

    private Optional<RemoteQueue> queueOfNode(long nodeId) {
        return sessions.values().stream().flatMap(s -> s.queues().stream()).filter(q -> q.id() == nodeId).findFirst();
    }

    /** @return a refusal message, or empty when the policy was activated */
    Optional<String> setPolicy(ClientSession from, String name) {
        if (!authorizer.admin(from.peer())) {
            return Optional.of(authorizer.needAdmin(from.peer(), "changing the policy"));
        }
        try {
            xsched.activatePolicy(name);
            LOG.info("client '{}' ({}) activated policy '{}'", Printable.of(from.clientName()), from.peer(), Printable.of(name));
            announcePolicy();
            return Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Announces policy changes, and closes connections that did not say hello in time (they would
     * hold places of {@code max.connections}).
     */
    private void watchPolicy() {
        long helloTimeout = settings.helloTimeoutMillis();
        while (!closed.get()) {
            try {
                Thread.sleep(Math.min(500, helloTimeout / 2));
            } catch (InterruptedException e) {
                return;
            }
            announcePolicy();
            long now = System.currentTimeMillis();
            for (ClientSession s : sessions.values()) {
                if (!s.greeted() && now - s.connectedAt() > helloTimeout) {
                    LOG.warn("closing the connection of {}: no hello within {} ms", s.peer(), helloTimeout);
                    s.end("no hello within " + helloTimeout + " ms");
                }
            }
        }
    }

    private synchronized void announcePolicy() {
        String now = activePolicy();
        if (!now.equals(announcedPolicy)) {
            announcedPolicy = now;
            sessions.values().forEach(s -> s.policyChanged(now));
        }
    }

    /** Stops listening and disconnects every client (they resume their queues and retry). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            listener.close();
            policyWatch.interrupt();
            sessions.values().forEach(s -> s.end("the daemon is stopping"));
            LOG.info("xsched node daemon stopped listening on {}", settings.socket());
        }
    }
}
