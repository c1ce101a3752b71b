package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.server.Eventually;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * A level-1 queue the daemon suspends runs with a narrow launch window while it keeps being
 * suspended, and gets its own back once left alone; gated queues and windows the daemon configured
 * are left as they are. Real daemon (HPF), real links, host XPU; asserts windows and suspension,
 * never timings (the hold is short only so that the test does not wait long).
 */
class SuspendedWindowTest {
    private static final LaunchConfig OWN = new LaunchConfig(16, 8);
    private static final LaunchConfig NARROW = new LaunchConfig(2, 1);

    @TempDir
    Path dir;
    @AutoClose
    final ClientFixture fixture = new ClientFixture();
    private EmbeddedXsched daemonRuntime;

    private EmbeddedXsched client(Path socket, String name) throws Exception {
        return fixture.client(socket, name, new SuspendedWindows(NARROW, Duration.ofMillis(50)), false).xsched();
    }

    private Path daemon() throws Exception {
        Path socket = dir.resolve("xsched.sock");
        daemonRuntime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
        fixture.closeLater(daemonRuntime);
        fixture.closeLater(NodeServer.start(daemonRuntime, daemonRuntime.foreignQueues(), ServerSettings.at(socket)));
        return socket;
    }

    private Optional<QueueDTO> listed(String name) {
        return daemonRuntime.snapshot().queues.stream().filter(q -> name.equals(q.name)).findFirst();
    }

    private static XQueue queue(EmbeddedXsched x, String name, PreemptLevel level, int priority) {
        XQueue q = x.createQueue("host:0", QueueOptions.defaults().withName(name).withLevel(level).withLaunch(OWN));
        x.hint(new Hint.Priority(HintTarget.queue(q.id()), priority));
        return q;
    }

    private static HostKernel held(CountDownLatch gate) {
        return HostKernel.of("held", 1, (b, ctx) -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aLevelOneQueueTheDaemonSuspendsHasTheNarrowWindowUntilLeftAloneThenItsOwn() throws Exception {
        Contest c = contest(PreemptLevel.LAUNCH);
        XQueue low = c.low();
        Eventually.that("the low queue is suspended with the narrow window", () -> low.suspended() && low.launchConfig().equals(NARROW),
                () -> "suspended " + low.suspended() + ", window " + low.launchConfig());
        // protocol version 3: the daemon lists what the client's runtime lists, the window as it is now
        Eventually.that("the daemon lists the low queue's narrow window and its reach", () -> listed("low")
                .filter(q -> q.threshold == 2 && q.batchSize == 1 && q.effectiveLevel == 1 && "launch".equals(q.stopsAt)).isPresent(),
                () -> listed("low").map(q -> q.threshold + "/" + q.batchSize + " Lv" + q.effectiveLevel + " " + q.stopsAt).orElse("absent"));

        c.highGate().countDown();
        c.high().awaitAll();
        Eventually.that("the low queue runs with its own window again", () -> !low.suspended() && low.launchConfig().equals(OWN),
                () -> "suspended " + low.suspended() + ", window " + low.launchConfig());
        c.lowGate().countDown();
        low.awaitAll();
        assertThat(low.finished()).as("the low queue's kernel ran").isEqualTo(1);
    }

    @Test
    void aGatedQueueKeepsItsWindowWhenSuspended() throws Exception {
        Contest c = contest(PreemptLevel.DEACTIVATE);
        // the window is decided when the suspension arrives, before the round applies it
        Eventually.that("the low queue is suspended", c.low()::suspended);
        assertThat(c.low().launchConfig()).as("a gated queue's window").isEqualTo(OWN);
        c.highGate().countDown();
        c.lowGate().countDown();
        c.high().awaitAll();
        c.low().awaitAll();
    }

    /** Two clients of one daemon, each with a queue running a kernel held until its gate opens; the low one's level given. */
    private record Contest(XQueue low, XQueue high, CountDownLatch lowGate, CountDownLatch highGate) {
    }

    private Contest contest(PreemptLevel lowLevel) throws Exception {
        Path socket = daemon();
        Contest c = new Contest(queue(client(socket, "low"), "low", lowLevel, 0), queue(client(socket, "high"), "high", PreemptLevel.LAUNCH, 10),
                new CountDownLatch(1), new CountDownLatch(1));
        c.low().submit(held(c.lowGate()));
        c.high().submit(held(c.highGate()));
        return c;
    }

    /** @return a runtime of its own on the host XPU, no daemon; its scheduler leaves suspensions to the test */
    private EmbeddedXsched alone() {
        return fixture.manual();
    }

    private static XQueue levelOne(EmbeddedXsched x) {
        return x.createQueue("host:0", QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(OWN));
    }

    @Test
    void aWindowConfiguredWhileNarrowIsKeptAndWithNarrowingOffNothingChanges() throws Exception {
        EmbeddedXsched x = alone();
        XQueue q = levelOne(x);

        SuspendedWindows windows = new SuspendedWindows(NARROW, Duration.ZERO);
        windows.suspended(q, 0);
        assertThat(q.launchConfig()).isEqualTo(NARROW);
        LaunchConfig configured = new LaunchConfig(32, 4);
        assertThat(windows.configured(q.id())).as("what the daemon leaves unchanged comes from the queue's own window").contains(OWN);
        q.launchConfig(configured);
        assertThat(windows.configured(q.id())).as("a queue not narrowed").isEmpty();
        windows.expire(Long.MAX_VALUE / 2, id -> Optional.of(q));
        assertThat(q.launchConfig()).as("the daemon's configured window").isEqualTo(configured);
        assertThat(windows.narrowedCount()).isZero();

        SuspendedWindows off = new SuspendedWindows(null, Duration.ZERO);
        off.suspended(q, 0);
        assertThat(q.launchConfig()).as("with narrowing off").isEqualTo(configured);
    }

    @Test
    void theHoldCountsFromTheEndOfASuspensionNotFromItsStart() throws Exception {
        XQueue q = levelOne(alone());
        long day = Duration.ofDays(1).toNanos();
        SuspendedWindows windows = new SuspendedWindows(NARROW, Duration.ofDays(1));
        windows.suspended(q, 0);
        q.suspend();
        windows.expire(2 * day, id -> Optional.of(q));
        assertThat(q.launchConfig()).as("suspended for longer than the hold").isEqualTo(NARROW);
        q.resume();
        windows.expire(2 * day + day / 2, id -> Optional.of(q));
        assertThat(q.launchConfig()).as("half a hold after the suspension ended").isEqualTo(NARROW);
        windows.expire(3 * day, id -> Optional.of(q));
        assertThat(q.launchConfig()).as("a hold after it ended").isEqualTo(OWN);
    }

    @Test
    void aNarrowedQueueThatClosedIsForgottenAndADisconnectRestoresTheRest() throws Exception {
        EmbeddedXsched x = alone();
        XQueue kept = levelOne(x);
        XQueue closed = levelOne(x);
        SuspendedWindows windows = new SuspendedWindows(NARROW, Duration.ofDays(1));
        windows.suspended(kept, 0);
        windows.suspended(closed, 0);
        closed.close();
        windows.expire(1, x::queue);
        assertThat(windows.narrowedCount()).as("the closed queue is forgotten, the other still held").isEqualTo(1);
        assertThat(kept.launchConfig()).isEqualTo(NARROW);
        windows.restoreAll(x::queue);
        assertThat(kept.launchConfig()).isEqualTo(OWN);
        assertThat(windows.narrowedCount()).isZero();
    }
}
