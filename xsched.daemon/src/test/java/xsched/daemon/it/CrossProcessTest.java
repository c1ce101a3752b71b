package xsched.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.api.dto.QueueDTO;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.daemon.internal.unix.Groups;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * The daemon with real client processes on the host XPU: decisions across processes, a client
 * killed, the daemon killed and restarted, a refused request. Asserts decisions and outcomes,
 * never timings.
 */
class CrossProcessTest {
    @TempDir
    Path dir;
    private Path socket;
    private Path logs;
    private EmbeddedXsched daemonRuntime;
    private NodeServer daemon;

    @BeforeEach
    void paths() throws Exception {
        Child.openUp(dir);
        socket = dir.resolve("xsched.sock");
        logs = Path.of("target", "cross-process-logs");
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        if (daemonRuntime != null) {
            daemonRuntime.close();
        }
    }

    private void startDaemon(int mode) throws Exception {
        daemonRuntime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
        daemon = NodeServer.start(daemonRuntime, daemonRuntime.foreignQueues(), ServerSettings.at(socket).withMode(mode));
    }

    private Optional<QueueDTO> queueNamed(String name) {
        return daemonRuntime.snapshot().queues.stream().filter(q -> q.name.equals(name)).findFirst();
    }

    private String queues() {
        StringBuilder out = new StringBuilder("daemon queues:");
        for (QueueDTO q : daemonRuntime.snapshot().queues) {
            out.append(' ').append(q.name).append('/').append(q.state).append("/suspended=").append(q.suspended).append('/')
                    .append(q.status).append("/prio=").append(q.priority);
        }
        return out.toString();
    }

    private static long number(String line, String prefix) {
        assertThat(line).startsWith(prefix);
        return Long.parseLong(line.substring(prefix.length()).strip().split("\\s+")[0]);
    }

    private Child client(String name) throws Exception {
        Child c = Child.start(name, logs, ClientProcess.class, socket.toString(), name);
        assertThat(c.next()).startsWith("ready");
        assertThat(c.ask("connected")).isEqualTo("connected true");
        return c;
    }

    @Test
    void hpfAcrossProcessesSuspendsTheLowPriorityClientWhileTheHighOneHasWork() throws Exception {
        startDaemon(0600);
        try (Child low = client("low"); Child high = client("high")) {
            long a = number(low.ask("open a 1"), "opened");
            assertThat(low.ask("gated " + a + " 3")).isEqualTo("submitted 3");
            Eventually.that("queue a is READY in the daemon and runs",
                    () -> queueNamed("a").map(q -> q.state.equals("READY") && !q.suspended).orElse(false));
            assertThat(queueNamed("a").orElseThrow().pid).as("the pid comes from the socket").isEqualTo(low.pid());
            assertThat(queueNamed("a").orElseThrow().uid).isEqualTo(Groups.effectiveUid());

            long b = number(high.ask("open b 9"), "opened");
            assertThat(high.ask("gated " + b + " 3")).isEqualTo("submitted 3");
            Eventually.that("the low-priority queue is suspended in its process while the high one is READY",
                    () -> queueNamed("b").map(q -> q.state.equals("READY") && !q.suspended).orElse(false)
                            && queueNamed("a").map(q -> q.suspended).orElse(false));
            assertThat(low.ask("status " + a)).contains("suspended=true");

            assertThat(high.ask("release")).isEqualTo("released");
            assertThat(high.ask("await " + b)).isEqualTo("done 3 of 3");
            Eventually.that("the low-priority queue resumes once the high one is IDLE",
                    () -> queueNamed("a").map(q -> !q.suspended).orElse(false), this::queues);
            assertThat(low.ask("release")).isEqualTo("released");
            assertThat(low.ask("await " + a)).isEqualTo("done 3 of 3");
        }
    }

    @Test
    void aProcessHintGivenBeforeAnyQueueAppliesToTheQueuesOpenedLater() throws Exception {
        // what `xsched run --priority N` does: the agent hints its process when it starts, its streams' queues come later
        startDaemon(0600);
        try (Child low = client("low"); Child high = client("high")) {
            assertThat(low.ask("hint-self 1")).isEqualTo("hinted");
            assertThat(high.ask("hint-self 9")).isEqualTo("hinted");
            long a = number(low.ask("open-plain a"), "opened");
            assertThat(low.ask("gated " + a + " 3")).isEqualTo("submitted 3");
            long b = number(high.ask("open-plain b"), "opened");
            assertThat(high.ask("gated " + b + " 3")).isEqualTo("submitted 3");
            Eventually.that("the queues carry their processes' priorities", () -> queueNamed("a").map(q -> q.priority == 1).orElse(false)
                    && queueNamed("b").map(q -> q.priority == 9).orElse(false), this::queues);
            Eventually.that("the low-priority process's queue is suspended while the high one's is READY",
                    () -> queueNamed("a").map(q -> q.suspended).orElse(false), this::queues);
            assertThat(high.ask("release")).isEqualTo("released");
            assertThat(high.ask("await " + b)).isEqualTo("done 3 of 3");
            Eventually.that("the low-priority queue resumes", () -> queueNamed("a").map(q -> !q.suspended).orElse(false), this::queues);
            assertThat(low.ask("release")).isEqualTo("released");
            assertThat(low.ask("await " + a)).isEqualTo("done 3 of 3");
            assertThat(low.ask("refusals")).isEqualTo("refusals 0 ");
        }
    }

    @Test
    void aClientKilledLeavesTheDaemonAndThePolicyRunsWithoutIt() throws Exception {
        startDaemon(0600);
        try (Child low = client("low"); Child high = client("high")) {
            long a = number(low.ask("open a 1"), "opened");
            low.ask("gated " + a + " 2");
            long b = number(high.ask("open b 9"), "opened");
            high.ask("gated " + b + " 2");
            Eventually.that("the low-priority queue is suspended", () -> queueNamed("a").map(q -> q.suspended).orElse(false));

            high.kill();
            Eventually.that("the killed client's queue and connection are gone",
                    () -> queueNamed("b").isEmpty() && daemon.clients().stream().noneMatch(c -> c.pid() == high.pid()));
            Eventually.that("the low-priority queue runs again", () -> queueNamed("a").map(q -> !q.suspended).orElse(false),
                    this::queues);
            low.ask("release");
            assertThat(low.ask("await " + a)).isEqualTo("done 2 of 2");
        }
        Eventually.that("every client left", () -> daemon.clients().isEmpty() && daemonRuntime.snapshot().queues.isEmpty());
    }

    @Test
    void whenTheDaemonDiesClientsResumeAndReRegisterWithTheNextOneLosingNothing() throws Exception {
        Child first = Child.start("daemon-1", logs, DaemonProcess.class, socket.toString(), "600");
        assertThat(first.next()).isEqualTo("listening");
        try (Child low = client("low"); Child high = client("high")) {
            long a = number(low.ask("open a 1"), "opened");
            long b = number(high.ask("open b 9"), "opened");
            high.ask("gated " + b + " 3");
            assertThat(low.ask("gated " + a + " 1")).isEqualTo("submitted 1");
            assertThat(low.ask("work " + a + " 40 1")).isEqualTo("submitted 41");
            Eventually.that("the daemon suspends the low-priority queue", () -> low.ask("status " + a).contains("suspended=true"));

            first.kill();
            Eventually.that("with the daemon gone the low-priority queue runs",
                    () -> low.ask("status " + a).contains("suspended=false"));
            low.ask("release");
            assertThat(low.ask("await " + a)).as("nothing lost while the daemon was away").isEqualTo("done 41 of 41");

            try (Child second = Child.start("daemon-2", logs, DaemonProcess.class, socket.toString(), "600")) {
                assertThat(second.next()).isEqualTo("listening");
                Eventually.that("both clients reconnected and registered their queues again", () -> {
                    String queues = second.ask("queues");
                    return queues.contains(" a:" + low.pid() + ":") && queues.contains(" b:" + high.pid() + ":READY");
                });
                assertThat(low.ask("status " + a)).contains("connections=2");
                assertThat(low.ask("gated " + a + " 2")).isEqualTo("submitted 43");
                Eventually.that("the new daemon applies HPF again",
                        () -> second.ask("queues").contains(" a:" + low.pid() + ":READY:true"));
                high.ask("release");
                assertThat(high.ask("await " + b)).isEqualTo("done 3 of 3");
                Eventually.that("the low-priority queue runs once the high one is done",
                        () -> low.ask("status " + a).contains("suspended=false"));
                low.ask("release");
                assertThat(low.ask("await " + a)).isEqualTo("done 43 of 43");
            }
        } finally {
            first.kill();
        }
    }

    @Test
    void aClientOfAnotherUserMayNotChangeThePolicyNorHintOthersButMayHintItsOwn() throws Exception {
        assumeTrue(Groups.effectiveUid() == 0, "needs root, to run a client as another user");
        startDaemon(0666);
        try (Child owner = client("owner");
                Child stranger = Child.startAsNobody("stranger", logs, Files.createDirectories(dir.resolve("nobody")),
                        ClientProcess.class, socket.toString(), "stranger")) {
            assertThat(stranger.next()).startsWith("ready");
            assertThat(stranger.ask("connected")).isEqualTo("connected true");
            long own = number(stranger.ask("open mine 3"), "opened");
            Eventually.that("the stranger's queue is listed with its uid",
                    () -> queueNamed("mine").map(q -> q.uid == 65534 && q.priority == 3).orElse(false));

            assertThat(stranger.ask("policy hpf")).isEqualTo("requested true");
            Eventually.that("the policy change is refused", () -> stranger.ask("refusals").startsWith("refusals 1 "));
            assertThat(stranger.ask("refusals")).contains("changing the policy needs root");

            assertThat(stranger.ask("hint-pid " + owner.pid() + " 7")).isEqualTo("hinted");
            Eventually.that("the hint for another user's process is refused", () -> stranger.ask("refusals").startsWith("refusals 2 "));
            assertThat(stranger.ask("refusals")).contains("a hint for process " + owner.pid() + " of another user needs root");

            assertThat(owner.ask("policy hpf")).isEqualTo("requested true");
            long mine = number(owner.ask("open theirs 2"), "opened");
            Eventually.that("root's queue is listed", () -> queueNamed("theirs").isPresent());
            assertThat(owner.ask("refusals")).as("root may change the policy").isEqualTo("refusals 0 ");
            assertThat(stranger.ask("refusals")).as("hinting its own queue is allowed").startsWith("refusals 2 ");
            assertThat(own).isPositive();
            assertThat(mine).isPositive();
        }
    }
}
