package xsched.daemon.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.dto.QueueDTO;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.Frame.TargetKind;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.unix.Groups;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * A real daemon on a socket in a temporary directory, spoken to by hand-written clients: the
 * greeting, every way a client can break the protocol (which ends that client's connection and
 * nothing else), the per-client queue limit, hints, policy requests and a client that stops
 * reading. The test process is both ends, so every peer's pid is this process's and its uid is the
 * daemon's own (an administrator).
 */
class ServerProtocolTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;
    private EmbeddedXsched x;
    private NodeServer server;
    private Path socket;
    private final List<RawClient> clients = new ArrayList<>();

    private void start() throws IOException {
        start(Map.of());
    }

    private void start(Map<String, String> settings) throws IOException {
        socket = dir.resolve("xsched.sock");
        x = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
        server = NodeServer.start(x, x.foreignQueues(),
                ServerSettings.from(key -> key.equals(ServerSettings.SOCKET_PATH) ? socket.toString() : settings.get(key)));
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (server != null) {
            server.close();
        }
        if (x != null) {
            x.close();
        }
    }

    private RawClient connect() throws IOException {
        RawClient c = RawClient.connect(socket);
        clients.add(c);
        return c;
    }

    private RawClient greeted(String name) throws Exception {
        RawClient c = connect();
        c.hello(name);
        return c;
    }

    private static Frame.Open open(long queue, String name) {
        return new Frame.Open(queue, name, "host:0", "host", "cpu", "Host CPU", 3, 1, 16, 8);
    }

    private static Frame.State state(long queue, boolean ready, long seq) {
        return new Frame.State(queue, ready, false, 1, 1, ready ? 0 : 1, 0, 0, seq);
    }

    private String stateOf(String queue) {
        return queueNamed(queue).map(q -> q.state).orElse("absent");
    }

    private Optional<QueueDTO> queueNamed(String name) {
        return x.snapshot().queues.stream().filter(q -> name.equals(q.name)).findFirst();
    }

    private String state() {
        StringBuilder s = new StringBuilder("clients ").append(server.clients()).append("; queues");
        x.snapshot().queues.forEach(q -> s.append(' ').append(q.name).append("/pid=").append(q.pid).append("/client=").append(q.client)
                .append("/prio=").append(q.priority));
        return s.toString();
    }

    private List<String> clientNames() {
        return server.clients().stream().map(ClientView::name).toList();
    }

    @Test
    void aHelloIsWelcomedWithTheIdentityTheKernelGaveThePeer() throws Exception {
        start();
        RawClient c = connect();
        c.send(new Frame.Hello(Frame.VERSION, 0, "raw"));
        Frame.Welcome w = c.next(Frame.Welcome.class);
        assertThat(w.version()).isEqualTo(Frame.VERSION);
        assertThat(w.capabilities()).isZero();
        assertThat(w.daemonPid()).isEqualTo(PID);
        assertThat(w.peerPid()).as("the peer's pid, from SO_PEERCRED").isEqualTo(PID);
        assertThat(w.peerUid()).isEqualTo(Groups.effectiveUid());
        assertThat(w.policy()).isEqualTo("hpf");

        Eventually.that("the client is listed", () -> clientNames().equals(List.of("raw")), this::state);
        ClientView view = server.clients().getFirst();
        assertThat(view.pid()).isEqualTo(PID);
        assertThat(view.uid()).isEqualTo(Groups.effectiveUid());
        assertThat(view.queues()).isZero();
    }

    @Test
    void aPolicyChangeWhileAClientHasNotSaidHelloReachesItInItsWelcomeNeverBefore() throws Exception {
        start();
        RawClient early = connect();
        RawClient watching = greeted("watching");
        x.addPolicy("hpf2", new HighestPriorityFirst());
        x.activatePolicy("hpf2");
        assertThat(watching.next(Frame.PolicyChanged.class).name()).as("the announcement to a welcomed client").isEqualTo("hpf2");

        early.send(new Frame.Hello(Frame.VERSION, 0, "early"));
        assertThat(early.next(Frame.Welcome.class).policy()).as("the first frame to the client that connected before").isEqualTo("hpf2");
    }

    @Test
    void aClientOfANewerVersionIsAnsweredInThisOneAndABlankNameBecomesItsPid() throws Exception {
        start();
        RawClient c = connect();
        c.send(new Frame.Hello(Frame.VERSION + 6, 0, " "));
        assertThat(c.next(Frame.Welcome.class).version()).isEqualTo(Frame.VERSION);
        Eventually.that("the client is listed by its pid", () -> clientNames().equals(List.of("pid " + PID)), this::state);
    }

    @Test
    void aStateSentBeforeTheLastOneTakenIsIgnored() throws Exception {
        start();
        RawClient c = greeted("ordered");
        c.send(open(1, "ordered-q"));
        c.next(Frame.Opened.class);
        c.send(state(1, true, 2));
        c.send(state(1, false, 1)); // sent before the one above, come after it
        c.send(state(1, false, 2)); // the same number again
        c.send(open(2, "barrier"));
        assertThat(c.next(Frame.Opened.class).queue()).as("the daemon handled every frame before it, and kept the connection").isEqualTo(2);
        assertThat(stateOf("ordered-q")).as("the newest State wins").isEqualTo("READY");

        c.send(state(1, false, 5)); // numbers may skip
        Eventually.that("a newer State is taken", () -> stateOf("ordered-q").equals("IDLE"), this::state);
        c.send(state(1, true, 4));
        c.send(open(3, "barrier-2"));
        c.next(Frame.Opened.class);
        assertThat(stateOf("ordered-q")).isEqualTo("IDLE");
    }

    @Test
    void aClientOfVersion1IsAnsweredInVersion1AndItsStatesAreTakenInTheOrderTheyCome() throws Exception {
        start();
        RawClient c = connect();
        c.speak(1);
        c.send(new Frame.Hello(1, 0, "old"));
        assertThat(c.next(Frame.Welcome.class).version()).isEqualTo(1);
        c.send(open(1, "old-q"));
        c.next(Frame.Opened.class);
        c.send(state(1, true, 0));
        c.send(open(2, "barrier"));
        c.next(Frame.Opened.class);
        assertThat(stateOf("old-q")).isEqualTo("READY");
        c.send(state(1, false, 0));
        c.send(open(3, "barrier-2"));
        assertThat(c.next(Frame.Opened.class).queue()).isEqualTo(3);
        assertThat(stateOf("old-q")).as("a State without a number is never stale").isEqualTo("IDLE");
    }

    /** A way to break the protocol, done by a client that greeted first or not. */
    interface Misbehaviour {
        void on(RawClient c) throws IOException;
    }

    static Stream<Arguments> misbehaviours() {
        byte[] noise = new byte[512];
        new SplittableRandom(7).nextBytes(noise);
        noise[0] = 0x01; // a length of at least 16 MiB: over the largest frame whatever follows
        return Stream.of(
                Arguments.of("a frame before the hello", false, (Misbehaviour) c -> c.send(open(1, "early"))),
                Arguments.of("a hello of version 0", false, (Misbehaviour) c -> c.send(new Frame.Hello(0, 0, "old"))),
                Arguments.of("a second hello", true, (Misbehaviour) c -> c.send(new Frame.Hello(Frame.VERSION, 0, "again"))),
                Arguments.of("the state of a queue it never opened", true,
                        (Misbehaviour) c -> c.send(state(99, true, 1))),
                Arguments.of("a state without its sequence number (of version 1)", true, (Misbehaviour) c -> c.sendRaw(
                        new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME, 1).encode(state(1, true, 1)))),
                Arguments.of("a state numbered 0", true, (Misbehaviour) c -> c.send(state(1, true, 0))),
                Arguments.of("the close of a queue it never opened", true, (Misbehaviour) c -> c.send(new Frame.Close(99))),
                Arguments.of("opening a queue twice", true, (Misbehaviour) c -> c.send(open(1, "bad-q-again"))),
                Arguments.of("opening a queue of an unknown device kind", true,
                        (Misbehaviour) c -> c.send(new Frame.Open(2, "tpu-q", "tpu:0", "tpu", "tpu", "TPU", 1, 1, 1, 1))),
                Arguments.of("a server frame", true, (Misbehaviour) c -> c.send(new Frame.Opened(1, 1))),
                Arguments.of("a frame that does not decode", true,
                        (Misbehaviour) c -> c.sendRaw(new byte[] {0, 0, 0, 2, 0x03, 0x00})),
                Arguments.of("a length header of 0", true, (Misbehaviour) c -> c.sendRaw(new byte[] {0, 0, 0, 0})),
                Arguments.of("a length header over the largest frame", true,
                        (Misbehaviour) c -> c.sendRaw(ByteBuffer.allocate(4).putInt(FrameCodec.DEFAULT_MAX_FRAME + 1).array())),
                Arguments.of("a length header of 2 GiB", false, (Misbehaviour) c -> c.sendRaw(new byte[] {0x7f, -1, -1, -1})),
                Arguments.of("an HTTP request", false,
                        (Misbehaviour) c -> c.sendRaw("GET / HTTP/1.1\r\nHost: xsched\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of("random bytes", false, (Misbehaviour) c -> c.sendRaw(noise)),
                Arguments.of("random bytes after a hello and an open", true, (Misbehaviour) c -> c.sendRaw(noise)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misbehaviours")
    void aClientThatBreaksTheProtocolLosesItsConnectionAndQueuesAndNoOneElseNotices(String what, boolean greetFirst, Misbehaviour bad)
            throws Exception {
        start();
        RawClient good = greeted("good");
        good.send(open(1, "good-before"));
        long goodBefore = good.next(Frame.Opened.class).nodeId();

        RawClient c = connect();
        if (greetFirst) {
            c.hello("bad");
            c.send(open(1, "bad-q"));
            assertThat(c.next(Frame.Opened.class).queue()).isEqualTo(1);
            Eventually.that("the bad client's queue is listed", () -> queueNamed("bad-q").map(q -> q.pid == PID).orElse(false),
                    this::state);
        }
        Eventually.that("both clients are listed", () -> server.clients().size() == 2, this::state);

        bad.on(c);
        c.awaitClosedByDaemonWithoutAnswer();

        Eventually.that("the bad client and its queue are gone", () -> queueNamed("bad-q").isEmpty()
                && clientNames().equals(List.of("good")), this::state);
        assertThat(x.snapshot().queues).extracting(q -> q.name).containsExactly("good-before");

        good.send(open(2, "good-after"));
        Frame.Opened opened = good.next(Frame.Opened.class);
        assertThat(opened.queue()).isEqualTo(2);
        Eventually.that("the good client's new queue is listed with its pid",
                () -> queueNamed("good-after").map(q -> q.id == opened.nodeId() && q.pid == PID && "good".equals(q.client)).orElse(false),
                this::state);
        assertThat(queueNamed("good-before").orElseThrow().id).isEqualTo(goodBefore);
        assertThat(server.clients()).singleElement().satisfies(v -> assertThat(v.queues()).isEqualTo(2));
    }

    @Test
    void aClientThatClosesItsConnectionTakesItsQueuesAlong() throws Exception {
        start();
        RawClient c = greeted("leaving");
        c.send(open(1, "left-behind?"));
        c.next(Frame.Opened.class);
        Eventually.that("its queue is listed", () -> queueNamed("left-behind?").isPresent(), this::state);
        c.close();
        Eventually.that("the client and its queue are gone", () -> server.clients().isEmpty() && x.snapshot().queues.isEmpty(),
                this::state);
    }

    @Test
    void aClientOpeningMoreQueuesThanAllowedIsRefusedTheExtraOnesAndKeepsItsConnection() throws Exception {
        start(Map.of(ServerSettings.MAX_QUEUES, "2"));
        RawClient c = greeted("greedy");
        c.send(open(1, "q1"));
        c.send(open(2, "q2"));
        c.send(open(3, "q3"));
        assertThat(c.next(Frame.Opened.class).queue()).isEqualTo(1);
        assertThat(c.next(Frame.Opened.class).queue()).isEqualTo(2);
        Frame.Refused refused = c.next(Frame.Refused.class);
        assertThat(refused.requestType()).isEqualTo(FrameCodec.typeOf(open(3, "q3")));
        assertThat(refused.queue()).isEqualTo(3);
        assertThat(refused.message()).isEqualTo("a client may open 2 queues; queue 3 runs unscheduled");
        Eventually.that("two queues are listed", () -> x.snapshot().queues.size() == 2, this::state);
        assertThat(queueNamed("q3")).isEmpty();

        c.send(new Frame.Close(1));
        c.send(open(3, "q3"));
        assertThat(c.next(Frame.Opened.class).queue()).as("a closed queue frees its place").isEqualTo(3);
        Eventually.that("q2 and q3 are listed", () -> queueNamed("q1").isEmpty() && queueNamed("q3").isPresent(), this::state);

        RawClient other = greeted("other");
        other.send(open(1, "other-1"));
        other.send(open(2, "other-2"));
        assertThat(other.next(Frame.Opened.class).queue()).as("the limit is per client").isEqualTo(1);
        assertThat(other.next(Frame.Opened.class).queue()).isEqualTo(2);
    }

    @Test
    void aHintForItsOwnQueueSetsThatQueuesPriority() throws Exception {
        start();
        RawClient c = greeted("hinter");
        c.send(open(1, "hinted"));
        long nodeId = c.next(Frame.Opened.class).nodeId();

        c.send(new Frame.HintFrame(TargetKind.OWN_QUEUE, 1, new Hint.Priority(HintTarget.queue(1), 7)));
        Eventually.that("the priority is in force", () -> queueNamed("hinted").map(q -> q.priority == 7).orElse(false), this::state);
        c.send(new Frame.HintFrame(TargetKind.NODE_QUEUE, nodeId, new Hint.Priority(HintTarget.queue(nodeId), -3)));
        Eventually.that("a hint by node id too", () -> queueNamed("hinted").map(q -> q.priority == -3).orElse(false), this::state);

        c.send(open(2, "after-hints"));
        assertThat(c.next(Frame.Opened.class).queue()).as("the hints were taken without a refusal").isEqualTo(2);
    }

    @Test
    void aHintForAQueueTheClientDoesNotHaveIsRefusedAndTheConnectionStays() throws Exception {
        start();
        RawClient c = greeted("hinter");
        c.send(new Frame.HintFrame(TargetKind.OWN_QUEUE, 99, new Hint.Priority(HintTarget.queue(99), 7)));
        Frame.Refused own = c.next(Frame.Refused.class);
        assertThat(own.requestType()).isEqualTo(0x05);
        assertThat(own.queue()).isEqualTo(99);
        assertThat(own.message()).isEqualTo("you have no open queue 99");

        c.send(new Frame.HintFrame(TargetKind.NODE_QUEUE, 12345, new Hint.Utilization(HintTarget.queue(12345), 50)));
        assertThat(c.next(Frame.Refused.class).message()).isEqualTo("the node has no queue 12345");

        c.send(open(1, "still-here"));
        assertThat(c.next(Frame.Opened.class).queue()).isEqualTo(1);
    }

    @Test
    void aRequestForAnUnknownPolicyIsRefusedWithTheRuntimesMessage() throws Exception {
        start();
        String expected = null;
        try {
            x.activatePolicy("nope");
        } catch (IllegalArgumentException e) {
            expected = e.getMessage();
        }
        assertThat(expected).as("the runtime refuses it itself").isNotNull();

        RawClient c = greeted("admin");
        c.send(new Frame.SetPolicy("nope"));
        Frame.Refused refused = c.next(Frame.Refused.class);
        assertThat(refused.requestType()).isEqualTo(0x06);
        assertThat(refused.queue()).isZero();
        assertThat(refused.message()).isEqualTo(expected).contains("no policy named 'nope'");

        c.send(new Frame.SetPolicy("hpf"));
        c.send(open(1, "after-policy"));
        assertThat(c.next(Frame.Opened.class).queue()).as("the active policy may be asked for again, unrefused").isEqualTo(1);
        assertThat(x.activePolicy()).contains("hpf");
    }

    @Test
    void aRefusalQuotingALongPolicyNameStillReachesTheClient() throws Exception {
        start();
        RawClient c = greeted("admin");
        // the runtime's message quotes the name: with ~1000 bytes of name it is longer than a string may be
        c.send(new Frame.SetPolicy("p".repeat(1000)));
        Frame.Refused refused = c.next(Frame.Refused.class);
        assertThat(refused.requestType()).isEqualTo(0x06);
        assertThat(refused.message()).startsWith("no policy named 'ppp");
        c.send(open(1, "after-long-name"));
        assertThat(c.next(Frame.Opened.class).queue()).as("and the connection works on").isEqualTo(1);
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndTheDaemonGoesOn() throws Exception {
        start();
        RawClient good = greeted("good");
        RawClient deaf = RawClient.connectNotReading(socket);
        clients.add(deaf);
        byte[] hint = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME)
                .encode(new Frame.HintFrame(TargetKind.OWN_QUEUE, 99, new Hint.Priority(HintTarget.queue(99), 7)));
        byte[] batch = new byte[hint.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(hint, 0, batch, i * hint.length, hint.length);
        }
        // every hint is refused, and every refusal waits to be sent: the socket's buffer, then the session's outbox fill up
        long sent = 0;
        boolean writeFailed = false;
        try (LogCapture logs = LogCapture.start()) {
            deaf.send(new Frame.Hello(Frame.VERSION, 0, "deaf"));
            while (sent < 10_000_000) {
                try {
                    deaf.sendRaw(batch);
                } catch (IOException e) {
                    writeFailed = true;
                    break;
                }
                sent += 1000;
                if (sent % 100_000 == 0 && !clientNames().contains("deaf")) {
                    break;
                }
            }
            Eventually.that("the deaf client is no longer listed", () -> !clientNames().contains("deaf"), this::state);
            deaf.startReading();
            deaf.awaitEnd();

            good.send(open(1, "after-the-deaf"));
            assertThat(good.next(Frame.Opened.class).queue()).isEqualTo(1);
            assertThat(clientNames()).containsExactly("good");
            assertThat(logs.errors()).isEmpty();
        }
        assertThat(sent).as("refusals asked for and not read").isPositive();
        System.out.println("ServerProtocolTest: the daemon disconnected a client that did not read after it had asked for " + sent
                + " refusals" + (writeFailed ? " (its next write failed)" : ""));
    }

    @Test
    void aConnectionThatNeverSaysHelloIsClosedAndFreesItsPlace() throws Exception {
        start(Map.of(ServerSettings.HELLO_TIMEOUT, "200", ServerSettings.MAX_CONNECTIONS, "1"));
        RawClient silent = connect();
        silent.awaitClosedByDaemonWithoutAnswer();
        Eventually.that("the silent connection is gone", () -> server.clients().isEmpty(), this::state);
        RawClient next = greeted("next");
        assertThat(next.ended()).as("the place of the silent one is free again").isFalse();
    }

    @Test
    void settingsAreReadByTheirKeys() {
        ServerSettings s = ServerSettings.from(key -> switch (key) {
            case ServerSettings.SOCKET_PATH -> "/tmp/x.sock";
            case ServerSettings.MAX_QUEUES -> "3";
            case ServerSettings.MAX_CONNECTIONS -> "4";
            case ServerSettings.MAX_FRAME -> "4096";
            default -> null;
        });
        assertThat(s.maxQueuesPerClient()).isEqualTo(3);
        assertThat(s.maxConnections()).isEqualTo(4);
        assertThat(s.maxFrame()).isEqualTo(4096);
        assertThat(s.helloTimeoutMillis()).as("by default").isEqualTo(10_000);
        assertThatThrownBy(() -> ServerSettings.from(key -> key.equals(ServerSettings.MAX_QUEUES) ? "0" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.queues.per.client must be in 1…");
    }
}
