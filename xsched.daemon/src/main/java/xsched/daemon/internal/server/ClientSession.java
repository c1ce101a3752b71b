package xsched.daemon.internal.server;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.protocol.ProtocolException;
import xsched.daemon.internal.unix.PeerCredentials;
import xsched.daemon.internal.unix.SocketWriter;
import xsched.daemon.internal.unix.UnixSocket;

/**
 * One connected client: a reader thread that takes its frames in order; the daemon's frames go out
 * through a {@link SocketWriter}. A frame that breaks the protocol, a client that stops reading, or the end of
 * the connection closes this session only: its queues leave the scheduler and the policy runs
 * without them.
 */
final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** The most bytes of daemon frames that may wait for a client. */
    private static final long OUTBOX_BYTES = 1 << 20;
    /** Refusals of one client logged at INFO; the rest at DEBUG, so that a client cannot flood the log. */
    private static final int LOGGED_REFUSALS = 10;

    private final long number;
    private final UnixSocket socket;
    private final PeerCredentials peer;
    private final NodeServer server;
    /** Speaks the version agreed at hello from then on. */
    private volatile FrameCodec codec;
    private final Map<Long, RemoteQueue> queues = new ConcurrentHashMap<>();
    private volatile SocketWriter writer;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long connectedAt = System.currentTimeMillis();
    private volatile String clientName = "?";
    private volatile boolean greeted;
    /** Whether the welcome went out; guarded by this object's lock. */
    private boolean welcomed;
    /** Reader thread only. */
    private long refusals;

    ClientSession(long number, UnixSocket socket, PeerCredentials peer, NodeServer server, FrameCodec codec) {
        this.number = number;
        this.socket = socket;
        this.peer = peer;
        this.server = server;
        this.codec = codec;
    }

    void start() {
        writer = new SocketWriter(socket, "xsched-daemon-write-" + peer.pid(), OUTBOX_BYTES, this::end);
        Thread.ofPlatform().daemon().name("xsched-daemon-read-" + peer.pid()).start(this::readLoop);
    }

    long number() {
        return number;
    }

    PeerCredentials peer() {
        return peer;
    }

    String clientName() {
        return clientName;
    }

    long connectedAt() {
        return connectedAt;
    }

    List<RemoteQueue> queues() {
        return List.copyOf(queues.values());
    }

    /** @return whether the client said hello */
    boolean greeted() {
        return greeted;
    }

    /**
     * Tells a welcomed client the daemon's policy changed; a client not welcomed yet learns the
     * policy from its welcome (a frame before the welcome would end its connection).
     *
     * @param policy the policy now active
     */
    synchronized void policyChanged(String policy) {
        if (welcomed) {
            send(new Frame.PolicyChanged(policy));
        }
    }

    /**
     * Sends a frame to the client, at once on this thread when the socket takes it, else through
     * the writer thread; never blocks. A client that lets too much wait is disconnected.
     */
    void send(Frame frame) {
        SocketWriter w = writer;
        if (w != null && !ended.get()) {
            w.send(codec.encode(frame));
        }
    }

    private void readLoop() {
        String why = "it closed the connection";
        try (InputStream in = new BufferedInputStream(socket.input(), 8192)) {
            Frame frame;
            while (!ended.get() && (frame = codec.read(in)) != null) {
                if (!(frame instanceof Frame.FromClient request)) {
                    throw new ProtocolException("a server frame (" + frame.getClass().getSimpleName() + ") from a client");
                }
                handle(request);
            }
        } catch (ProtocolException e) {
            why = "it broke the protocol: " + e.getMessage();
            LOG.warn("closing the connection of {} ('{}'): {}", peer, Printable.of(clientName), Printable.of(e.getMessage()));
        } catch (EOFException e) {
            why = e.getMessage() == null ? "the connection ended" : e.getMessage();
        } catch (IOException e) {
            if (!ended.get()) {
                why = "reading failed: " + e.getMessage();
            }
        } catch (RuntimeException e) {
            why = "handling its frame failed: " + e;
            LOG.error("closing the connection of {} ('{}'): handling its frame failed", peer, Printable.of(clientName), e);
        } finally {
            end(why);
        }
    }

    private void handle(Frame.FromClient request) throws ProtocolException {
        if (!greeted) {
            if (!(request instanceof Frame.Hello hello)) {
                throw new ProtocolException("the first frame must be a hello, not " + request.getClass().getSimpleName());
            }
            if (hello.version() < 1) {
                throw new ProtocolException("protocol version " + hello.version() + " (this daemon speaks 1…" + Frame.VERSION + ")");
            }
            clientName = hello.clientName().isBlank() ? "pid " + peer.pid() : hello.clientName();
            int version = Math.min(hello.version(), Frame.VERSION);
            codec = codec.speaking(version);
            greeted = true;
            synchronized (this) {
                // under the lock policyChanged takes: nothing reaches the client before its welcome
                send(new Frame.Welcome(version, 0, ProcessHandle.current().pid(), peer.pid(), peer.uid(), server.activePolicy()));
                welcomed = true;
            }
            LOG.info("client '{}' connected: {}", Printable.of(clientName), peer);
            return;
        }
        switch (request) {
            case Frame.Hello h -> throw new ProtocolException("a second hello");
            case Frame.Open open -> open(open);
            case Frame.Close close -> {
                RemoteQueue q = queues.remove(close.queue());
                if (q == null) {
                    throw new ProtocolException("close of queue " + close.queue() + ", which is not open");
                }
                server.foreignQueues().remove(q);
            }
            case Frame.State state -> {
                RemoteQueue q = queues.get(state.queue());
                if (q == null) {
                    throw new ProtocolException("state of queue " + state.queue() + ", which is not open");
                }
                if (q.report(state)) {
                    server.foreignQueues().changed(q);
                }
            }
            case Frame.HintFrame hint -> server.hint(this, hint).ifPresent(refusal -> refuse(request, hint.target(), refusal));
            case Frame.SetPolicy policy -> server.setPolicy(this, policy.name()).ifPresent(refusal -> refuse(request, 0, refusal));
        }
    }

    private void open(Frame.Open open) throws ProtocolException {
        if (queues.containsKey(open.queue())) {
            throw new ProtocolException("queue " + open.queue() + " opened twice");
        }
        if (queues.size() >= server.settings().maxQueuesPerClient()) {
            refuse(open, open.queue(), "a client may open " + server.settings().maxQueuesPerClient() + " queues; queue "
                    + open.queue() + " runs unscheduled");
            return;
        }
        RemoteQueue q;
        try {
            q = server.foreignQueues().admit(id -> new RemoteQueue(id, this, open));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("open of queue " + open.queue() + ": " + e.getMessage());
        }
        queues.put(open.queue(), q);
        send(new Frame.Opened(open.queue(), q.id()));
        if (ended.get()) {
            server.foreignQueues().remove(q);
        }
    }

    /** @return the node id of one of this client's queues by its own id, or -1 */
    long nodeIdOf(long localId) {
        RemoteQueue q = queues.get(localId);
        return q == null ? -1 : q.id();
    }

    private void refuse(Frame.FromClient request, long queue, String message) {
        long n = ++refusals;
        if (n <= LOGGED_REFUSALS) {
            LOG.info("refused {} of '{}' ({}): {}{}", request.getClass().getSimpleName(), Printable.of(clientName), peer,
                    Printable.of(message), n == LOGGED_REFUSALS ? " (further refusals of this client are logged at DEBUG)" : "");
        } else {
            LOG.debug("refused {} of '{}' ({}): {}", request.getClass().getSimpleName(), Printable.of(clientName), peer,
                    Printable.of(message));
        }
        send(new Frame.Refused(FrameCodec.typeOf(request), queue, Printable.clip(message, FrameCodec.MAX_STRING)));
    }

    /** Ends the session: closes the socket, removes the client's queues, tells the server. Idempotent. */
    void end(String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        SocketWriter w = writer;
        if (w != null) {
            w.close();
        }
        socket.close();
        for (RemoteQueue q : queues.values()) {
            server.foreignQueues().remove(q);
        }
        queues.clear();
        server.ended(this);
        LOG.info("client '{}' ({}) left: {}", Printable.of(clientName), peer, Printable.of(why));
    }
}
