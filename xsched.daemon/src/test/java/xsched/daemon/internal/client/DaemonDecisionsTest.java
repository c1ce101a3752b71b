package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.server.Eventually;

/**
 * The daemon's Suspend and Resume take effect from the link itself, without waiting for a round of
 * the client's scheduler (a thread wake-up later): the client here schedules manually, so its
 * rounds apply nothing, and only the link can suspend or resume the queue. Fake daemon, real link,
 * host XPU; asserts suspension and outcomes, never timings.
 */
class DaemonDecisionsTest {
    private static final Duration CAP = Duration.ofSeconds(Eventually.PATIENCE_SECONDS);

    @TempDir
    Path dir;
    @AutoClose
    final ClientFixture fixture = new ClientFixture();

    @Test
    void aSuspensionAndAResumptionAreAppliedByTheLinkWithoutARoundOfTheClientsScheduler() throws Exception {
        FakeDaemon daemon = fixture.closeLater(FakeDaemon.start(dir.resolve("fake.sock")));
        EmbeddedXsched client = fixture.manual();
        NodeLink link = new NodeLink(daemon.socket, "decisions", new RelayPolicy());
        link.start(client);
        fixture.closeLater(link);
        assertThat(link.awaitConnected(Eventually.PATIENCE_SECONDS * 1000)).as("connected").isTrue();

        for (PreemptLevel level : new PreemptLevel[] {PreemptLevel.LAUNCH, PreemptLevel.INTERRUPT}) {
            XQueue q = client.createQueue("host:0", QueueOptions.defaults().withName("q-" + level).withLevel(level));
            daemon.send(new Frame.Suspend(q.id()));
            Eventually.that("the daemon's suspension applied to the " + level + " queue", q::suspended);
            long seq = q.submit(HostTask.of("after", () -> { }));
            assertThat(client.snapshot().queues).filteredOn(d -> d.id == q.id()).singleElement()
                    .satisfies(d -> assertThat(d.pending).as("commands the suspended queue holds back").isEqualTo(1));

            daemon.send(new Frame.Resume(q.id(), false));
            assertThat(q.await(seq, CAP)).as("run once resumed").isEqualTo(Outcome.COMPLETED);
            assertThat(q.suspended()).isFalse();
        }
        daemon.send(new Frame.Suspend(Long.MAX_VALUE)); // no such queue: nothing happens, the link stays
        XQueue last = client.createQueue("host:0", QueueOptions.defaults().withName("last"));
        assertThat(last.await(last.submit(HostTask.of("still", () -> { })), CAP)).isEqualTo(Outcome.COMPLETED);
        assertThat(link.awaitConnected(0)).as("still connected").isTrue();
    }
}
