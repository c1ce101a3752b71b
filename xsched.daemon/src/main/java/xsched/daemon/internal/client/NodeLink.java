package xsched.daemon.internal.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.protocol.ProtocolException;
import xsched.daemon.internal.unix.SocketWriter;
import xsched.daemon.internal.unix.UnixSocket;

/**
 * A client's connection to the daemon, kept up for as long as the client runs: it connects,
 * greets, has the {@link RelayPolicy} tell everything, then applies the daemon's decisions. When
 * the connection ends, every queue the daemon suspended is resumed at once (work never stays
 * frozen) and the link reconnects with backoff.
 */
public final class NodeLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long LAST_BACKOFF_MS = 2_000;
    /**
     * System property: how often, in milliseconds, the link refreshes the daemon's view of this
     * process's queues (counters, reach, window) and gives narrowed windows back; 500 by default,
     * 50…60 000. Narrowed windows are given back at these ticks only: a queue keeps its narrow
     * window for about the longer of the hold and this period after its last suspension.
     */
    public static final String REFRESH_PROPERTY = "xsched.node.refreshMs";
    private static final long REFRESH_MS = refreshMillis(System.getProperty(REFRESH_PROPERTY));
    private static final int KEPT_REFUSALS = 64;
    /**
     * System property: {@code false} (the default) sends READY/IDLE edges from the client's
     * scheduler round, which the edge wakes; {@code true} sends them on the thread that caused them,
     * one thread wake-up less per decision, but then the socket write that wakes the daemon is made
     * by the application's thread between two of its launches: on the H200 machine that held the
     * launches after a job's first back by ~55 µs and left the GPU idle meanwhile (a foreground
     * alone under {@code xsched run}: p50 0.562 ms with it, 0.498 ms without, 0.469 ms native).
     * The daemon's CPU was the same both ways in NodeBench (64 queues).
     */
    public static final String DIRECT_EDGES_PROPERTY = "xsched.node.directEdges";

    static long refreshMillis(String text) {
        return MillisProperty.parse(REFRESH_PROPERTY, text, 50, 60_000, 500);
    }

    private final Path socket;
    private final String name;
    private final RelayPolicy relay;
    private final SuspendedWindows windows;
    private final boolean directEdges;
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME);
    private final Map<Long, Long> nodeIds = new ConcurrentHashMap<>();
    private final Deque<String> refusals = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong connections = new AtomicLong();
    private final Object connectedSignal = new Object();
    private final Thread thread;
    /** Level changes may wait for a queue to let go of its hardware queue: never on the reader. */
    private final java.util.concurrent.ExecutorService configurer = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("xsched-node-configure").factory());
    private volatile EmbeddedXsched xsched;
    private volatile Connection current;
    private volatile String daemonPolicy = "";
    private boolean warnedAbsent;

    NodeLink(Path socket, String name, RelayPolicy relay) {
        this(socket, name, relay, SuspendedWindows.fromSystemProperties());
    }

    /** @param windows what happens to the launch window of a level-1 queue the daemon suspends */
    NodeLink(Path socket, String name, RelayPolicy relay, SuspendedWindows windows) {
        this(socket, name, relay, windows, Boolean.parseBoolean(System.getProperty(DIRECT_EDGES_PROPERTY, "false")));
    }

    /** @param directEdges whether edges are sent on the thread that caused them ({@link #DIRECT_EDGES_PROPERTY}) */
    NodeLink(Path socket, String name, RelayPolicy relay, SuspendedWindows windows, boolean directEdges) {
        this.socket = socket;
        this.name = name;
        this.relay = relay;
        this.windows = windows;
        this.directEdges = directEdges;
        this.thread = Thread.ofPlatform().daemon().name("xsched-node-link").unstarted(this::run);
    }

    void start(EmbeddedXsched runtime) {
        this.xsched = runtime;
        relay.runtime(runtime);
        if (directEdges) {
            runtime.edgeListener(this::edge);
        }
        thread.start();
    }

    /**
     * The edge fast path: tells the daemon at once, on the thread that caused the edge, through the
     * connection the relay was last connected to (readiness is read again there: {@link RelayPolicy#edge}).
     */
    private void edge(long queueId, boolean ready) {
        relay.edge(queueId);
    }

    /** @return whether a connection to the daemon is up */
    public boolean connected() {
        return current != null;
    }

    /** @return how many times a connection was established */
    public long connections() {
        return connections.get();
    }

    /**
     * Waits until a connection is up.
     *
     * @param timeoutMillis how long at most
     * @return whether it is up
     * @throws InterruptedException when interrupted
     */
    public boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (connectedSignal) {
            while (current == null) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                connectedSignal.wait(left);
            }
        }
        return true;
    }

    /** @return the node id of a local queue, or -1 while the daemon has not told it */
    public long nodeId(long queueId) {
        return nodeIds.getOrDefault(queueId, -1L);
    }

    /** @return the daemon's active policy as last announced */
    public String daemonPolicy() {
        return daemonPolicy;
    }

    /** @return the daemon's refusals of this client's requests, oldest first */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /**
     * Asks the daemon to run another policy (needs root or the admin group there).
     *
     * @param policy its name
     * @return whether the request was sent (a refusal comes back in {@link #refusals()})
     */
    public boolean requestPolicy(String policy) {
        Connection c = current;
        return c != null && c.offer(new Frame.SetPolicy(policy));
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (!closed.get()) {
            UnixSocket s;
            try {
                s = UnixSocket.connect(socket);
            } catch (IOException | IllegalArgumentException e) {
                if (!warnedAbsent) {
                    warnedAbsent = true;
                    LOG.warn("no xsched daemon at {} ({}); queues run unscheduled by the node and the client keeps trying",
                            socket, e.getMessage());
                }
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(LAST_BACKOFF_MS, backoff * 2);
                continue;
            }
            backoff = FIRST_BACKOFF_MS;
            String why = serve(s);
            s.close();
            current = null;
            releaseQueues();
            if (!closed.get()) {
                LOG.warn("lost the xsched daemon at {} ({}); every queue runs; reconnecting", socket, why);
                warnedAbsent = false;
            }
            sleep(FIRST_BACKOFF_MS + ThreadLocalRandom.current().nextLong(FIRST_BACKOFF_MS));
        }
    }

    /** @return why the connection ended */
    private String serve(UnixSocket s) {
        Connection c = new Connection(s);
        try (InputStream in = new BufferedInputStream(s.input(), 8192)) {
            c.start();
            c.offer(new Frame.Hello(Frame.VERSION, 0, name));
            Frame first = codec.read(in);
            if (!(first instanceof Frame.Welcome welcome)) {
                return first == null ? "the daemon closed the connection before its welcome"
                        : "the daemon answered " + first.getClass().getSimpleName() + " instead of a welcome";
            }
            if (welcome.version() < 1 || welcome.version() > Frame.VERSION) {
                return "the daemon answered in protocol version " + welcome.version() + " (this client speaks 1…" + Frame.VERSION + ")";
            }
            c.speak(welcome.version());
            daemonPolicy = welcome.policy();
            connections.incrementAndGet();
            relay.connect(frame -> c.offer(frame));
            current = c;
            synchronized (connectedSignal) {
                connectedSignal.notifyAll();
            }
            LOG.info("connected to the xsched daemon at {} (pid {}, policy '{}')", socket, welcome.daemonPid(), welcome.policy());
            Frame frame;
            while ((frame = codec.read(in)) != null) {
                if (!(frame instanceof Frame.FromServer decision)) {
                    throw new ProtocolException("a client frame (" + frame.getClass().getSimpleName() + ") from the daemon");
                }
                apply(decision);
            }
            return "the daemon closed the connection";
        } catch (IOException e) {
            return e.getMessage();
        } finally {
            c.stop();
        }
    }

    private void apply(Frame.FromServer decision) {
        if (closed.get()) {
            // close() resumes every queue once this thread has stopped: a decision applied after
            // that would stay for good
            return;
        }
        EmbeddedXsched runtime = xsched;
        try {
            switch (decision) {
                case Frame.Welcome w -> LOG.warn("a second welcome from the daemon; ignored");
                case Frame.Opened o -> nodeIds.put(o.queue(), o.nodeId());
                case Frame.Suspend s -> {
                    relay.want(s.queue(), true);
                    try {
                        // applied here, a scheduler wake-up sooner than the round, without waiting: a
                        // hardware stop (level 2, 3) runs on one of the runtime's preemption threads
                        runtime.queue(s.queue()).ifPresent(q -> {
                            windows.suspended(q, System.nanoTime());
                            runtime.suspendNow(q.id());
                        });
                    } finally {
                        runtime.reschedule();
                    }
                }
                case Frame.Resume r -> {
                    relay.want(r.queue(), false);
                    try {
                        // resuming never blocks: done here rather than a thread wake-up later in the round
                        runtime.queue(r.queue()).ifPresent(q -> q.resume(r.drop()));
                    } finally {
                        runtime.reschedule();
                    }
                }
                case Frame.Configure c -> runtime.queue(c.queue()).ifPresent(q -> configurer.execute(() -> configure(q, c)));
                case Frame.Refused r -> {
                    LOG.warn("the xsched daemon refused a request (type 0x{}, queue {}): {}", Integer.toHexString(r.requestType()),
                            r.queue(), r.message());
                    synchronized (refusals) {
                        if (refusals.size() == KEPT_REFUSALS) {
                            refusals.removeFirst();
                        }
                        refusals.addLast(r.message());
                    }
                }
                case Frame.PolicyChanged p -> daemonPolicy = p.name();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not apply the daemon's {}: {}", decision, e.toString());
        }
    }

    private void configure(XQueue q, Frame.Configure c) {
        try {
            reconfigure(q, c);
        } catch (RuntimeException e) {
            LOG.warn("could not apply the daemon's {} to queue {}: {}", c, q.id(), e.toString());
        }
    }

    private void reconfigure(XQueue q, Frame.Configure c) {
        if (c.level() != 0) {
            q.level(PreemptLevel.of(c.level()));
        }
        if (c.threshold() != 0 || c.batchSize() != 0) {
            // what the daemon leaves unchanged is the queue's own window, not a narrowed one
            LaunchConfig now = windows.configured(q.id()).orElseGet(q::launchConfig);
            int threshold = c.threshold() != 0 ? c.threshold() : now.threshold();
            int batch = Math.min(threshold, c.batchSize() != 0 ? c.batchSize() : now.batchSize());
            q.launchConfig(new LaunchConfig(threshold, batch));
        }
        relay.refresh();
    }

    /** @return a queue of the runtime, or empty (also before start and once the runtime closed) */
    private Optional<XQueue> queue(long queueId) {
        EmbeddedXsched runtime = xsched;
        try {
            return runtime == null ? Optional.empty() : runtime.queue(queueId);
        } catch (IllegalStateException closedAlready) {
            return Optional.empty();
        }
    }

    /**
     * The daemon is gone (the connection ended, or the link closed): forgets what it suspended, gives
     * the queues it narrowed their own window back and has every queue run.
     */
    private void releaseQueues() {
        relay.disconnect();
        windows.restoreAll(this::queue);
        resumeAll();
    }

    /** Has the next round resume every queue the daemon suspended ({@link RelayPolicy#disconnect()} forgot them). */
    private void resumeAll() {
        nodeIds.clear();
        try {
            xsched.reschedule();
        } catch (IllegalStateException closedAlready) {
            // the runtime is closed: its queues are gone
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed.get();
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Disconnects for good and resumes what the daemon suspended. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            thread.interrupt();
            Connection c = current;
            if (c != null) {
                c.socket.close();
            }
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            releaseQueues();
            configurer.shutdown();
        }
    }

    /** One connection: its writer, and a ticker that sends counters that moved. */
    private final class Connection {
        private final UnixSocket socket;
        private final SocketWriter writer;
        private final Thread ticker;
        /** Speaks the version of the daemon's welcome once it came. */
        private volatile FrameCodec spoken = codec;
        private volatile boolean stopped;

        Connection(UnixSocket socket) {
            this.socket = socket;
            this.writer = new SocketWriter(socket, "xsched-node-link-write", 1 << 20, why -> {
                LOG.warn("cannot send to the xsched daemon ({}); reconnecting", why);
                socket.close();
            });
            this.ticker = Thread.ofPlatform().daemon().name("xsched-node-link-refresh").unstarted(this::tick);
        }

        void start() {
            ticker.start();
        }

        boolean offer(Frame frame) {
            return !stopped && writer.send(spoken.encode(frame));
        }

        void speak(int version) {
            spoken = spoken.speaking(version);
        }

        void stop() {
            stopped = true;
            writer.close();
            ticker.interrupt();
        }

        private void tick() {
            try {
                while (!stopped) {
                    Thread.sleep(REFRESH_MS);
                    if (current == this) {
                        try {
                            windows.expire(System.nanoTime(), NodeLink.this::queue);
                            relay.refresh();
                        } catch (RuntimeException | LinkageError e) {
                            LOG.warn("refreshing the daemon's view failed (tried again in {} ms): {}", REFRESH_MS, e.toString());
                        }
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }
    }
}
