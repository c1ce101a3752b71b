package xsched.daemon.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.NodeClient;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.Frame.TargetKind;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.protocol.ProtocolException;
import xsched.daemon.internal.protocol.RandomFrames;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * Throws frames at a real daemon over several connections at once: random bytes, valid random
 * frames (mostly ones that make sense for what the connection opened, so that sessions live long
 * enough to reach the scheduler), and valid frames mutated (bits flipped, cut short, extended,
 * length and type bytes changed). Each connection is reopened whenever the daemon closes it.
 * Afterwards: no thread of the daemon died, the daemon logged no error, it holds no connection
 * and no queue, and a well-behaved client still connects and is scheduled.
 *
 * <p>{@code -Dxsched.fuzz.frames=N} (default 20000), {@code -Dxsched.fuzz.connections=N}
 * (default 4), {@code -Dxsched.fuzz.seed=S} to replay a run (each connection's stream of frames is
 * reproduced; how the connections interleave is not).
 */
class FrameFuzzTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final int MAX_QUEUES = 8;
    private static final List<String> DEVICES = List.of("host:0", "cuda:0", "cuda:1");

    @TempDir
    Path dir;
    private EmbeddedXsched x;
    private NodeServer server;
    private Path socket;
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME);
    private final FuzzStats stats = new FuzzStats();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final Queue<String> uncaught = new ConcurrentLinkedQueue<>();
    /** Set when a thread died: the fuzzers stop at once, the test reports it. */
    private volatile boolean aborted;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (x != null) {
            x.close();
        }
    }

    @Test
    void theDaemonSurvivesRandomAndMalformedFramesOnConcurrentConnections() throws Exception {
        long seed = Long.getLong("xsched.fuzz.seed", ThreadLocalRandom.current().nextLong());
        int frames = Integer.getInteger("xsched.fuzz.frames", 20_000);
        int connections = Integer.getInteger("xsched.fuzz.connections", 4);
        System.out.println("FrameFuzzTest: seed " + seed + " (replay with -Dxsched.fuzz.seed=" + seed + "), " + frames + " frames on "
                + connections + " concurrent connections");

        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            uncaught.add(t.getName() + ": " + stackOf(e));
            aborted = true;
        });
        long started = System.nanoTime();
        String logSummary;
        List<String> loggedErrors;
        List<String> lastWarnings;
        try (LogCapture logs = LogCapture.start()) {
            socket = dir.resolve("xsched.sock");
            x = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
            server = NodeServer.start(x, x.foreignQueues(), ServerSettings.from(key -> switch (key) {
                case ServerSettings.SOCKET_PATH -> socket.toString();
                case ServerSettings.MAX_QUEUES -> Integer.toString(MAX_QUEUES);
                default -> null;
            }));

            runWorkers(seed, frames, connections);

            Eventually.that("every fuzzing connection has left the daemon, and its queues the scheduler",
                    () -> server.clients().isEmpty() && x.snapshot().queues.isEmpty(),
                    () -> server.clients() + " " + x.snapshot().queues.size() + " queues");
            aWellBehavedRawClientIsServed();
            aNodeClientConnectsAndItsQueueIsListed();
            logSummary = logs.summary();
            loggedErrors = logs.errors();
            lastWarnings = logs.lastWarnings();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FrameFuzzTest summary: seed %d; %d frames drawn, %d of them (%d bytes) sent on %d connections in %.1f s"
                + " (%.0f frames/s), the rest dropped as the daemon had closed their connection; %d well-formed and in order"
                + " (the daemon must accept them), the rest random, mutated or out of place; %d connections closed by the daemon,"
                + " %d by the fuzzer; the daemon answered %s; %d listings taken meanwhile; %s%n", seed, stats.planned.sum(),
                stats.frames.sum(), stats.bytes.sum(), stats.connections.sum(), seconds, stats.frames.sum() / seconds,
                stats.wellFormed.sum(), stats.closedByDaemon.sum(), stats.closedByUs.sum(), stats.replies(), stats.snapshots.sum(),
                logSummary);

        assertThat(uncaught).as("exceptions that escaped a thread").isEmpty();
        assertThat(loggedErrors).as("errors the daemon logged").isEmpty();
        assertThat(failures).as("what the fuzzing clients saw; the daemon's last warnings: %s", lastWarnings).isEmpty();
        assertThat(stats.planned.sum()).as("frames drawn").isGreaterThanOrEqualTo(frames);
        if (frames >= 1000) {
            assertThat(stats.closedByDaemon.sum()).as("the fuzz broke the protocol, and the daemon noticed").isPositive();
            assertThat(stats.replies.get("Opened").sum()).as("the fuzz also got queues opened").isPositive();
        }
    }

    /** Runs the fuzzing connections; fails when none of them sent a frame for twice the patience, as a hang. */
    private void runWorkers(long seed, int frames, int connections) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections, Thread.ofPlatform().daemon().name("fuzz-", 0).factory());
        boolean done = false;
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        // an operator listing the daemon's clients and queues all along, while sessions come and go
        Thread observer = Thread.ofPlatform().daemon().name("fuzz-observer").start(() -> {
            try {
                while (fuzzing.get()) {
                    x.snapshot();
                    ClientTable.of(socket, server.clients());
                    stats.snapshots.increment();
                    Thread.sleep(1); // leaves the CPU to the daemon now and then, on a small machine
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failures.add("listing the daemon's clients and queues failed: " + stackOf(e));
            }
        });
        try {
            SplittableRandom root = new SplittableRandom(seed);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SplittableRandom r = root.split();
                int quota = frames / connections + (i < frames % connections ? 1 : 0);
                workers.add(pool.submit(() -> {
                    fuzz(r, quota);
                    return null;
                }));
            }
            long lastFrames = -1;
            long lastProgress = System.nanoTime();
            for (Future<?> w : workers) {
                while (true) {
                    try {
                        w.get(1, TimeUnit.SECONDS);
                        break;
                    } catch (TimeoutException e) {
                        long now = stats.frames.sum();
                        if (now != lastFrames) {
                            lastFrames = now;
                            lastProgress = System.nanoTime();
                        } else if (System.nanoTime() - lastProgress > 2 * Eventually.PATIENCE_SECONDS * 1_000_000_000L) {
                            // twice the patience: a connection's own bounded waits fail first, with a more precise message
                            throw new AssertionError("no fuzzing connection sent a frame for " + 2 * Eventually.PATIENCE_SECONDS
                                    + " s: the daemon stopped reading; threads:\n" + threadDump());
                        }
                    }
                }
            }
            done = true;
        } finally {
            fuzzing.set(false);
            observer.join(Eventually.PATIENCE_SECONDS * 1000);
            pool.shutdownNow();
            if (!done) {
                server.close(); // a fuzzer may be blocked writing to a daemon that stopped reading: let it go
            }
            if (!pool.awaitTermination(Eventually.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                failures.add("fuzzing threads did not stop");
            }
        }
    }

    /**
     * One fuzzing connection after another. Each greets the daemon (mostly), sends a run of
     * well-formed frames that make sense for what it opened (so that it reaches the scheduler),
     * then, mostly, one that breaks the protocol: random bytes, a mutated frame or a valid frame
     * out of place. After that it goes on sending well-formed frames into whatever state the
     * daemon's reader is in; then, unless the daemon has closed the connection already, bytes
     * that no reader state can take (see {@link Session#sendTerminator()}), and it waits for the
     * daemon to close the connection. A connection that broke no rule must be served to its end:
     * it asks for a refusal, gets it, and closes itself.
     */
    private void fuzz(SplittableRandom r, int quota) {
        int planned = 0;
        while (planned < quota && !aborted) {
            // the whole connection is drawn first, so that a seed replays it whatever the daemon does when
            Session s = new Session();
            boolean greet = r.nextInt(16) != 0;
            boolean breaks = !greet || r.nextInt(8) != 0;
            int sane = geometric(r, 40);
            int after = breaks ? geometric(r, 8) : 0;
            List<byte[]> run = new ArrayList<>();
            if (greet) {
                run.add(codec.encode(RandomFrames.hello(r)));
            }
            for (int i = 0; i < sane; i++) {
                run.add(codec.encode(saneFrame(r, s)));
            }
            byte[] breaking = breaks ? breakingBytes(r, s) : null;
            List<byte[]> tail = new ArrayList<>();
            for (int i = 0; i < after; i++) {
                tail.add(codec.encode(saneFrame(r, s)));
            }
            planned += run.size() + (breaks ? 1 : 0) + tail.size();
            stats.planned.add(run.size() + (breaks ? 1 : 0) + tail.size());

            try {
                s.client = RawClient.connect(socket, s::received);
            } catch (IOException e) {
                failures.add("could not connect: " + e);
                return;
            }
            stats.connections.increment();
            boolean alive = true;
            for (int i = 0; alive && i < run.size(); i++) {
                alive = s.send(run.get(i), greet);
            }
            if (breaks) {
                alive = alive && s.send(breaking, false);
                for (int i = 0; alive && i < tail.size() && !s.client.ended(); i++) {
                    alive = s.send(tail.get(i), false);
                }
                if (alive && !s.client.ended()) {
                    s.sendTerminator();
                }
                s.awaitClosedByDaemon();
                stats.closedByDaemon.increment();
            } else {
                s.probe();
                stats.closedByUs.increment();
            }
            s.client.close();
            s.finish();
        }
    }

    private static int geometric(SplittableRandom r, int mean) {
        return (int) Math.min(10 * mean, Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - 1.0 / mean)));
    }

    /** A well-formed frame that a greeted client may send: it is handled, answered or refused, never a reason to disconnect. */
    private static Frame saneFrame(SplittableRandom r, Session s) {
        int k = r.nextInt(100);
        if (!s.open.isEmpty() && k < 35) {
            return RandomFrames.state(r, s.anyOpen(r));
        }
        if (k < 50) {
            long id = s.nextId++;
            Frame.Open open = RandomFrames.open(r, id);
            // mostly a few shared devices, where the queues of all connections compete and the policy suspends and resumes
            String device = r.nextInt(4) == 0 ? open.deviceId() : DEVICES.get(r.nextInt(DEVICES.size()));
            String kind = isKnownKind(open.kind()) ? open.kind() : "gpu";
            open = new Frame.Open(id, open.name(), device, open.platform(), kind, open.deviceName(), open.maxLevel(), open.level(),
                    open.threshold(), open.batchSize());
            if (s.open.size() < MAX_QUEUES) {
                s.open.add(id); // beyond the limit the daemon refuses the open, and the queue is not open
            }
            return open;
        }
        if (!s.open.isEmpty() && k < 65) {
            return RandomFrames.hintFrame(r, r.nextInt(4) == 0 ? TargetKind.NODE_QUEUE : TargetKind.OWN_QUEUE, s.anyOpen(r));
        }
        if (k < 75) {
            return RandomFrames.hintFrame(r); // mostly refused: no such queue
        }
        if (k < 80) {
            return RandomFrames.hintFrame(r, TargetKind.PROCESS, PID);
        }
        if (!s.open.isEmpty() && k < 90) {
            long id = s.anyOpen(r);
            s.open.remove(id);
            return new Frame.Close(id);
        }
        return new Frame.SetPolicy(r.nextInt(4) == 0 ? "hpf" : RandomFrames.string(r));
    }

    private static boolean isKnownKind(String kind) {
        try {
            DeviceKinds.parse(kind);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Bytes that break the protocol, mostly: random bytes, a mutated frame, or a valid frame out of place. */
    private byte[] breakingBytes(SplittableRandom r, Session s) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> BrokenBytes.random(r);
            case 3, 4 -> codec.encode(RandomFrames.any(r));
            default -> BrokenBytes.mutate(r, codec.encode(r.nextInt(4) == 0 ? RandomFrames.any(r) : saneFrame(r, s)));
        };
    }

    private void aWellBehavedRawClientIsServed() throws Exception {
        try (RawClient c = RawClient.connect(socket)) {
            assertThat(c.hello("after-fuzz-raw").peerPid()).isEqualTo(PID);
            c.send(new Frame.Open(1, "after-fuzz-raw-q", "host:0", "host", "cpu", "Host", 3, 1, 16, 8));
            long nodeId = c.next(Frame.Opened.class).nodeId();
            Eventually.that("the raw client's queue is listed",
                    () -> x.snapshot().queues.stream().anyMatch(q -> q.id == nodeId && "after-fuzz-raw".equals(q.client)));
        }
        Eventually.that("the raw client left", () -> server.clients().isEmpty() && x.snapshot().queues.isEmpty());
    }

    private void aNodeClientConnectsAndItsQueueIsListed() throws Exception {
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
                NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(host), "after-fuzz", socket)) {
            assertThat(client.awaitConnected(Duration.ofSeconds(Eventually.PATIENCE_SECONDS))).as("connected").isTrue();
            XQueue q = client.xsched().createQueue("host:0", QueueOptions.defaults().withName("after-fuzz-q"));
            Eventually.that("the client's queue is listed by the daemon", () -> x.snapshot().queues.stream()
                    .anyMatch(d -> "after-fuzz-q".equals(d.name) && "after-fuzz".equals(d.client) && d.pid == PID
                            && d.id == client.nodeId(q.id())),
                    () -> x.snapshot().queues.stream().map(d -> d.name + "/" + d.client).toList().toString());
        }
    }

    /** A fuzzing connection and what it believes it has open. */
    private final class Session {
        /** A queue id no fuzzing frame names: a hint for it is refused, which shows that every frame before it was handled. */
        static final long PROBE = -4242;

        final List<Long> open = new ArrayList<>();
        final CountDownLatch probeAnswered = new CountDownLatch(1);
        RawClient client;
        long nextId = 1;

        void received(Frame frame) {
            stats.reply(frame);
            if (frame instanceof Frame.Refused refused && refused.queue() == PROBE) {
                probeAnswered.countDown();
            }
        }

        /** On a connection that broke no rule: asks for a refusal and waits for it, which the daemon must send. */
        void probe() {
            try {
                client.send(new Frame.HintFrame(TargetKind.OWN_QUEUE, PROBE, new Hint.Priority(HintTarget.queue(PROBE), 1)));
                stats.planned.increment();
                stats.frames.increment();
                stats.wellFormed.increment();
                long end = System.nanoTime() + Eventually.PATIENCE_SECONDS * 1_000_000_000L;
                while (!probeAnswered.await(20, TimeUnit.MILLISECONDS)) {
                    if (client.ended()) {
                        failures.add("the daemon closed a connection that broke no rule");
                        return;
                    }
                    if (aborted) {
                        return;
                    }
                    if (System.nanoTime() - end > 0) {
                        failures.add("the daemon did not answer a well-behaved connection within " + Eventually.PATIENCE_SECONDS + " s");
                        return;
                    }
                }
            } catch (IOException e) {
                failures.add("the daemon closed a connection that broke no rule: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long anyOpen(SplittableRandom r) {
            return open.get(r.nextInt(open.size()));
        }

        /**
         * @param wellFormed whether the bytes are a well-formed frame in order on a connection that has broken no rule
         * @return whether the bytes went out; false when the daemon had closed the connection
         */
        boolean send(byte[] bytes, boolean wellFormed) {
            try {
                client.sendRaw(bytes);
            } catch (IOException e) {
                return false;
            }
            stats.frames.increment();
            stats.bytes.add(bytes.length);
            if (wellFormed) {
                stats.wellFormed.increment();
            }
            return true;
        }

        /** Sends {@link BrokenBytes#terminator()}: the daemon must close the connection after it. */
        void sendTerminator() {
            try {
                client.sendRaw(BrokenBytes.terminator());
            } catch (IOException e) {
                // closed already
            }
        }

        /** Waits, bounded, for the daemon to close the connection. */
        void awaitClosedByDaemon() {
            try {
                client.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (AssertionError e) {
                failures.add("the daemon kept a connection open for " + Eventually.PATIENCE_SECONDS
                        + " s after bytes that no frame can take");
            }
        }

        /** Waits for the reader to see the end, and checks that the daemon sent nothing but frames. */
        void finish() {
            try {
                client.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (AssertionError e) {
                failures.add("a connection was closed but its reader never saw the end");
                return;
            }
            if (client.endedBy() instanceof ProtocolException p) {
                failures.add("the daemon sent something that is not a frame: " + p.getMessage());
            }
        }
    }

    private static String stackOf(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static String threadDump() {
        StringBuilder s = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("xsched") || t.getName().startsWith("fuzz")) {
                s.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (StackTraceElement e : stack) {
                    s.append("    at ").append(e).append('\n');
                }
            }
        });
        return s.toString();
    }
}
