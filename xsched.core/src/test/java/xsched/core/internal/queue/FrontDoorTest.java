package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.backend.host.HostTask;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FrontDoorTest {
    private final QueueFixture fixture = new QueueFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private final LaunchThreadProbe probe = new LaunchThreadProbe(fixture.backend);

    private ProgressiveQueue queue(PreemptLevel level, LaunchConfig config) {
        return new ProgressiveQueue(1, 1, probe.devices().getFirst(), probe,
                QueueOptions.defaults().withLevel(level).withLaunch(config), QueueFixture.NO_SCHEDULER, Runnable::run);
    }

    @Test
    void aCommandThatMayRunNowIsLaunchedFromTheSubmittingThread() throws Exception {
        try (ProgressiveQueue q = queue(PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT)) {
            HostTask first = HostTask.of("first", () -> { });
            long seq = q.submit(first);
            assertThat(probe.launchedBy.get(first)).isSameAs(Thread.currentThread());
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void aSuspendedQueueLeavesLaunchingToItsWorker() throws Exception {
        try (ProgressiveQueue q = queue(PreemptLevel.LAUNCH, LaunchConfig.DEFAULT)) {
            q.suspend();
            HostTask held = HostTask.of("held", () -> { });
            long seq = q.submit(held);
            assertThat(q.outcome(seq)).isNull();
            assertThat(probe.launchedBy).doesNotContainKey(held);
            q.resume();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            assertThat(probe.launchedBy.get(held).getName()).startsWith("xsched-launch-");
        }
    }

    @Test
    void aFullWindowLeavesTheRestToTheWorkerInOrder() throws Exception {
        try (ProgressiveQueue q = queue(PreemptLevel.LAUNCH, new LaunchConfig(1, 1))) {
            CountDownLatch release = new CountDownLatch(1);
            q.submit(HostTask.of("blocker", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            HostTask secondTask = HostTask.of("second", () -> { });
            long second = q.submit(secondTask);
            assertThat(q.view().pending()).isEqualTo(1);
            release.countDown();
            assertThat(q.await(second)).isEqualTo(Outcome.COMPLETED);
            assertThat(probe.launchedBy.get(secondTask).getName()).startsWith("xsched-launch-");
        }
    }

    @Test
    void aFullWindowOfFinishedWorkMakesRoomOnTheSubmittingThread() throws Exception {
        try (ProgressiveQueue q = queue(PreemptLevel.LAUNCH, new LaunchConfig(2, 1))) {
            q.submit(HostTask.of("first", () -> { }));
            HostTask secondTask = HostTask.of("second", () -> { });
            q.submit(secondTask);
            while (!probe.launchedBy.containsKey(secondTask) || !probe.recorded.getFirst().reached()) {
                Thread.sleep(1);
            }
            HostTask thirdTask = HostTask.of("third", () -> { });
            long third = q.submit(thirdTask);
            assertThat(probe.launchedBy.get(thirdTask)).isSameAs(Thread.currentThread());
            assertThat(q.await(third)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void aTimedWaitAsksTheDeviceButNeverWaitsOnIt() throws Exception {
        try (ProgressiveQueue q = queue(PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT)) {
            CountDownLatch release = new CountDownLatch(1);
            long seq = q.submit(HostTask.of("blocker", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThatThrownBy(() -> q.await(seq, Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
            release.countDown();
            assertThat(q.await(seq, Duration.ofMinutes(1))).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void closeFromACommandOnItsOwnDeviceReturns() throws Exception {
        ProgressiveQueue q = queue(PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
        CountDownLatch closed = new CountDownLatch(1);
        long seq = q.submit(HostTask.of("closer", () -> {
            q.close();
            closed.countDown();
        }));
        assertThat(closed.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
    }
}
