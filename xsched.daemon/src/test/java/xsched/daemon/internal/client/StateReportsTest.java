package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.server.Eventually;

/**
 * A queue's States as the relay builds them (what goes on the wire), without a daemon: a drain of a
 * suspended queue that stays READY is news to a scheduling round, and its age goes out once.
 */
class StateReportsTest {
    private final HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
    private final EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(host).build();
    private final List<Frame.FromClient> frames = new CopyOnWriteArrayList<>();
    private final StateReports reports = new StateReports(frames::add);

    @AfterEach
    void close() {
        xsched.close();
        host.close();
    }

    private List<Frame.State> states() {
        return frames.stream().filter(Frame.State.class::isInstance).map(Frame.State.class::cast).toList();
    }

    @Test
    void aDrainOfASuspendedQueueIsNewsToARoundAndItsAgeGoesOutOnce() throws Exception {
        XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("drains").withLevel(PreemptLevel.LAUNCH));
        reports.open(q, new Frame.Open(q.id(), "drains", "host:0", "host", "cpu", "host", 3, 1, 16, 8));
        CountDownLatch gate = new CountDownLatch(1);
        q.submit(HostKernel.of("gated", 1, (b, ctx) -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        q.suspend();
        q.submit(HostKernel.of("held", 1, (b, ctx) -> { })); // pending: the queue stays READY
        assertThat(reports.reportFromRound(q)).as("READY and suspended: news").isTrue();

        gate.countDown();
        Eventually.that("the queue drained", () -> q.drainedSinceNanos() != Long.MIN_VALUE);
        assertThat(reports.reportFromRound(q)).as("drained, still READY and suspended: news to a round").isTrue();
        assertThat(reports.reportFromRound(q)).as("nothing new since").isFalse();
        q.resume();
        q.awaitAll();
        reports.report(q, true);

        List<Frame.State> states = states();
        assertThat(states).extracting(Frame.State::drainedAgeNanos).as("the age, in the State after the drain only")
                .filteredOn(age -> age >= 0).hasSize(1);
        assertThat(states.get(2).drainedAgeNanos()).as("the State after the drain").isNotNegative();
        assertThat(states.get(2).ready()).isTrue();
        assertThat(states.get(2).suspended()).isTrue();
    }
}
