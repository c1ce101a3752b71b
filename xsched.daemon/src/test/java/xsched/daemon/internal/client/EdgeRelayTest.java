package xsched.daemon.internal.client;

import xsched.daemon.internal.server.Eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.policy.hpf.HighestPriorityFirst;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * How a client runtime tells the daemon of its queues' READY/IDLE edges: once each (the round after
 * the edge tells it, or with direct edges the edge fast path, and then the round has nothing new to
 * say), and never with an older readiness winning over a newer one. A real runtime on the host XPU and a real link; the
 * daemon is a fake one that records every frame, or the real one in this process. Asserts frames
 * and readiness, never timings.
 */
class EdgeRelayTest {
    private static final PolicyContext NO_DECISIONS = new PolicyContext() {
        @Override
        public void suspend(long queueId) {
        }

        @Override
        public void resume(long queueId) {
        }

        @Override
        public void timer(long atNanos) {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };

    @TempDir
    Path dir;
    @AutoClose
    final ClientFixture fixture = new ClientFixture();

    private ClientFixture.Client client(Path socket) throws Exception {
        return client(socket, false);
    }

    /** @param directEdges whether edges go out on the thread that caused them, as {@code xsched.node.directEdges=true} */
    private ClientFixture.Client client(Path socket, boolean directEdges) throws Exception {
        return fixture.client(socket, "edge-test", SuspendedWindows.fromSystemProperties(), directEdges);
    }

    private static HostKernel gated(CountDownLatch gate) {
        return HostKernel.of("gated", 1, (b, ctx) -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** @return the runtime of a node daemon at {@code socket} whose active policy is {@code policy}; both closed after the test */
    private EmbeddedXsched daemon(Path socket, SchedulingPolicy policy) throws Exception {
        EmbeddedXsched daemonRuntime = EmbeddedXsched.builder().policy("under test", policy).activePolicy("under test").build();
        fixture.closeLater(daemonRuntime);
        fixture.closeLater(NodeServer.start(daemonRuntime, daemonRuntime.foreignQueues(), ServerSettings.at(socket)));
        return daemonRuntime;
    }

    @ParameterizedTest(name = "direct edges {0}")
    @ValueSource(booleans = {false, true})
    void oneReadyIdleCycleReachesTheDaemonAsOneStateFrameEach(boolean directEdges) throws Exception {
        FakeDaemon daemon = FakeDaemon.start(dir.resolve("fake.sock"));
        fixture.closeLater(daemon);
        ClientFixture.Client c = client(daemon.socket, directEdges);
        XQueue q = c.xsched().createQueue("host:0", QueueOptions.defaults().withName("cycle"));
        c.xsched().awaitScheduled();

        CountDownLatch gate = new CountDownLatch(1);
        q.submit(gated(gate));
        c.xsched().awaitScheduled(); // the round after the READY edge has run
        gate.countDown();
        q.awaitAll(); // the IDLE edge happened (told by the round it wakes, or at once with direct edges)
        c.xsched().awaitScheduled(); // and the round after it has run

        assertThat(c.link().requestPolicy("marker")).isTrue();
        List<Frame> frames = daemon.framesUntil(f -> f instanceof Frame.SetPolicy p && p.name().equals("marker"));
        List<Frame.State> states = frames.stream().filter(f -> f instanceof Frame.State s && s.queue() == q.id())
                .map(Frame.State.class::cast).toList();
        assertThat(states).as("the states of queue %d: on open, then one READY and one IDLE; all frames: %s", q.id(), frames)
                .extracting(Frame.State::ready).containsExactly(false, true, false);
    }

    @Test
    void aReadyPeriodThatEndsBeforeItsRoundReachesTheDaemonAsAnIdleStateThatSaysTheQueueArrived() throws Exception {
        FakeDaemon daemon = FakeDaemon.start(dir.resolve("fake.sock"));
        fixture.closeLater(daemon);
        ClientFixture.Client c = client(daemon.socket);
        XQueue q = c.xsched().createQueue("host:0", QueueOptions.defaults().withName("unseen"));
        c.xsched().awaitScheduled();

        long[] times = passUnseen(c, q);

        assertThat(c.link().requestPolicy("marker")).isTrue();
        List<Frame> frames = daemon.framesUntil(f -> f instanceof Frame.SetPolicy p && p.name().equals("marker"));
        List<Frame.State> states = frames.stream().filter(f -> f instanceof Frame.State s && s.queue() == q.id())
                .map(Frame.State.class::cast).toList();
        assertThat(states).as("the states of queue %d: on open, then IDLE again, arrived; all frames: %s", q.id(), frames)
                .extracting(Frame.State::ready, Frame.State::arrived)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, false), org.assertj.core.groups.Tuple.tuple(false, true));
        assertThat(states.getLast().submitted()).isEqualTo(1);
        assertThat(states.getLast().readyAgeNanos()).as("how long before the State the queue turned READY: at least from the submit's return"
                + " to the end of the period").isGreaterThanOrEqualTo(times[1] - times[0]);
        assertThat(states.getLast().idleAgeNanos()).as("how long before the State the queue turned IDLE: after it turned READY")
                .isBetween(0L, states.getLast().readyAgeNanos());
        assertThat(states.getFirst().readyAgeNanos()).as("the age on open, never READY").isEqualTo(-1);
        assertThat(states.getFirst().idleAgeNanos()).isEqualTo(-1);
    }

    @Test
    void theDaemonsPolicySeesAnUnseenReadyPeriodAsANewReadySinceOfAnIdleQueue() throws Exception {
        Path socket = dir.resolve("xsched.sock");
        AtomicLong idleSince = new AtomicLong(Long.MIN_VALUE);
        AtomicBoolean sawReady = new AtomicBoolean();
        SchedulingPolicy recording = new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                for (QueueStatus s : status.queues()) {
                    if (s.ready()) {
                        sawReady.set(true);
                    } else {
                        idleSince.set(s.readySinceNanos());
                    }
                }
            }
        };
        EmbeddedXsched daemonRuntime = daemon(socket, recording);
        ClientFixture.Client c = client(socket);
        XQueue q = c.xsched().createQueue("host:0", QueueOptions.defaults().withName("unseen"));
        c.xsched().awaitScheduled();
        Eventually.that("the daemon has the queue", () -> daemonState(daemonRuntime, "unseen").equals("IDLE"));

        long before = System.nanoTime();
        passUnseen(c, q);

        Eventually.that("the daemon's policy saw the queue IDLE with a READY time after the period began",
                () -> idleSince.get() != Long.MIN_VALUE && idleSince.get() - before > 0);
        assertThat(sawReady).as("whether the daemon's policy ever saw the queue READY").isFalse();
    }

    @Test
    void theDaemonsPolicySeesWhenASuspendedQueuesLaunchedWorkEnded() throws Exception {
        Path socket = dir.resolve("xsched.sock");
        AtomicLong drained = new AtomicLong(Long.MIN_VALUE);
        SchedulingPolicy holdAll = new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                for (QueueStatus s : status.queues()) {
                    if (s.ready()) {
                        context.suspend(s.id());
                    }
                    drained.set(s.drainedSinceNanos());
                }
            }
        };
        EmbeddedXsched daemonRuntime = daemon(socket, holdAll);
        ClientFixture.Client c = client(socket);
        XQueue q = c.xsched().createQueue("host:0", QueueOptions.defaults().withName("drained").withLevel(xsched.api.PreemptLevel.LAUNCH));
        c.xsched().awaitScheduled();
        Eventually.that("the daemon has the queue", () -> daemonState(daemonRuntime, "drained").equals("IDLE"));

        CountDownLatch gate = new CountDownLatch(1);
        q.submit(gated(gate)); // launched at once; the daemon then suspends the queue, the kernel runs on
        Eventually.that("the queue suspended by the daemon", q::suspended);
        assertThat(q.drainedSinceNanos()).as("its kernel still runs").isEqualTo(Long.MIN_VALUE);
        long released = System.nanoTime();
        gate.countDown();

        Eventually.that("the queue drained after its kernel was let end", () -> q.drainedSinceNanos() - released > 0);
        Eventually.that("the daemon's policy saw the queue drained after its kernel was let end",
                () -> drained.get() != Long.MIN_VALUE && drained.get() - released > 0);
    }

    /**
     * One READY period of the queue that begins and ends while the runtime's round cannot tell the daemon.
     *
     * @return {@link System#nanoTime()} after the submit returned (the queue was READY by then) and after the period ended
     */
    private static long[] passUnseen(ClientFixture.Client c, XQueue q) throws InterruptedException {
        long[] times = new long[2];
        synchronized (c.relay()) {
            // the round the READY edge wakes waits for the relay's lock, and then finds the queue IDLE
            q.submit(HostKernel.of("short", 1, (b, ctx) -> { }));
            times[0] = System.nanoTime();
            q.awaitAll();
            assertThat(q.state()).isEqualTo(QueueState.IDLE);
            times[1] = System.nanoTime();
        }
        c.xsched().awaitScheduled();
        return times;
    }

    @Test
    void aRoundWhoseStatusIsOlderThanTheLastEdgeLeavesTheDaemonWithTheNewerReadiness() throws Exception {
        Path socket = dir.resolve("xsched.sock");
        EmbeddedXsched daemonRuntime = daemon(socket, new HighestPriorityFirst());
        ClientFixture.Client c = client(socket);
        XQueue q = c.xsched().createQueue("host:0", QueueOptions.defaults().withName("stale"));
        CountDownLatch gate = new CountDownLatch(1);
        q.submit(gated(gate));
        Eventually.that("the daemon has the queue READY", () -> daemonState(daemonRuntime, "stale").equals("READY"));

        gate.countDown();
        q.awaitAll();
        c.xsched().awaitScheduled();
        // A round whose status was taken before the IDLE edge: the engine's is when the edge comes during the round.
        QueueStatus before = new QueueStatus(q.id(), "host:0", ProcessHandle.current().pid(), true, false, 0, QueueHints.NONE);
        c.relay().schedule(new SchedulerStatus(System.nanoTime(), List.of(before), 1, -1, 0), NO_DECISIONS);

        // the daemon handles a client's frames in order: once it refused this, it has handled every State before it
        assertThat(c.link().requestPolicy("no-such-policy")).isTrue();
        Eventually.that("the daemon refused the request", () -> !c.link().refusals().isEmpty());
        assertThat(daemonState(daemonRuntime, "stale")).as("the queue's readiness in the daemon").isEqualTo("IDLE");
    }

    @Test
    void edgesRoundsAndRefreshesOnManyThreadsSendEachQueuesStatesInOrderNoneRepeatedTheLastOneTrue() throws Exception {
        HostBackend host = fixture.host();
        RelayPolicy relay = new RelayPolicy();
        EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("node", relay).activePolicy("node").build();
        fixture.closeLater(xsched);
        relay.runtime(xsched);
        xsched.edgeListener((queueId, ready) -> relay.edge(queueId));
        List<Frame.FromClient> sent = Collections.synchronizedList(new ArrayList<>());
        relay.connect(sent::add);

        List<XQueue> queues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queues.add(xsched.createQueue("host:0", QueueOptions.defaults().withName("q" + i)));
        }
        AtomicBoolean submitting = new AtomicBoolean(true);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            submitters.add(Thread.ofPlatform().name("submitter-" + t).start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    for (int i = 0; i < 2_000; i++) {
                        XQueue q = queues.get(r.nextInt(queues.size()));
                        q.submit(HostKernel.of("tick", 1, (b, ctx) -> { }));
                        if (r.nextInt(8) == 0) {
                            q.awaitAll(); // an IDLE edge, mostly
                        }
                    }
                } catch (InterruptedException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        // rounds whose status says anything, as a status older than the queues' last edges may, and refreshes, all along
        AtomicLong staleRounds = new AtomicLong();
        Thread rounds = Thread.ofPlatform().name("stale-rounds").start(() -> {
            SplittableRandom r = new SplittableRandom(42);
            long pid = ProcessHandle.current().pid();
            while (submitting.get()) {
                staleRounds.incrementAndGet();
                List<QueueStatus> status = queues.stream()
                        .map(q -> new QueueStatus(q.id(), "host:0", pid, r.nextBoolean(), false, 0, QueueHints.NONE)).toList();
                relay.schedule(new SchedulerStatus(System.nanoTime(), status, 1, -1, 0), NO_DECISIONS);
                relay.refresh();
                LockSupport.parkNanos(20_000); // leaves the submitters a core on a small machine
            }
        });
        for (Thread t : submitters) {
            assertThat(t.join(Duration.ofSeconds(Eventually.PATIENCE_SECONDS))).as("%s ended (no deadlock)", t.getName()).isTrue();
        }
        submitting.set(false);
        assertThat(rounds.join(Duration.ofSeconds(Eventually.PATIENCE_SECONDS))).as("the rounds ended (no deadlock)").isTrue();
        assertThat(failures).as("what the submitters failed with").isEmpty();
        for (XQueue q : queues) {
            q.awaitAll();
        }
        xsched.awaitScheduled();

        List<Frame.FromClient> frames;
        synchronized (sent) {
            frames = List.copyOf(sent);
        }
        for (XQueue q : queues) {
            List<Frame.State> states = frames.stream().filter(f -> f instanceof Frame.State s && s.queue() == q.id())
                    .map(Frame.State.class::cast).toList();
            assertThat(states).as("queue %d's states", q.id()).hasSizeGreaterThan(2);
            for (int i = 0; i < states.size(); i++) {
                Frame.State s = states.get(i);
                assertThat(s.seq()).as("the %dth state of queue %d, in the order sent", i + 1, q.id()).isEqualTo(i + 1);
                if (i > 0) {
                    Frame.State before = states.get(i - 1);
                    assertThat(says(s)).as("state %d of queue %d says something new", i + 1, q.id()).isNotEqualTo(says(before));
                    assertThat(s.submitted()).as("counters never go back").isGreaterThanOrEqualTo(before.submitted());
                    assertThat(s.finished()).isGreaterThanOrEqualTo(before.finished());
                }
            }
            assertThat(states.getLast().ready()).as("queue %d's last state, now that it is IDLE", q.id()).isFalse();
        }
        System.out.println("EdgeRelayTest: " + frames.stream().filter(Frame.State.class::isInstance).count() + " states of "
                + queues.size() + " queues sent from 8000 submits on 4 threads, the runtime's rounds and " + staleRounds.get()
                + " rounds with a random status");
    }

    /** @return what a State says, its number left out */
    private static List<Object> says(Frame.State s) {
        return List.of(s.ready(), s.suspended(), s.level(), s.submitted(), s.finished(), s.inFlight(), s.pending(), s.reach(), s.arrived());
    }

    private static String daemonState(EmbeddedXsched daemonRuntime, String name) {
        return daemonRuntime.snapshot().queues.stream().filter(d -> name.equals(d.name)).map(d -> d.state).findFirst().orElse("absent");
    }
}
