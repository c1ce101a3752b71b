package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.DirectLane;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DirectLaneTest {
    private final QueueFixture fixture = new QueueFixture();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        fixture.close();
    }

    /** The application's side of a lane as native code keeps it: credits it takes one by one. */
    static final class CreditLane implements DirectLane {
        final AtomicInteger credits = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        int granted;
        int counted;
        volatile RuntimeException failure;

        /** @return whether the application may launch directly now (a credit taken) */
        boolean take() {
            return credits.get() > 0 && credits.getAndDecrement() > 0;
        }

        @Override
        public void open(int launches) {
            throwIfAsked();
            opened.incrementAndGet();
            granted = launches;
            counted = 0;
            credits.set(launches);
        }

        @Override
        public int pull() {
            throwIfAsked();
            int taken = granted - Math.max(credits.get(), 0);
            int made = taken - counted;
            counted = taken;
            return made;
        }

        @Override
        public int close() {
            throwIfAsked();
            int taken = granted - Math.max(credits.getAndSet(0), 0);
            int made = taken - counted;
            granted = 0;
            counted = 0;
            return made;
        }

        private void throwIfAsked() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    private HostTask blocker() {
        return HostTask.of("blocker", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aLaunchAtOnceOpensTheLaneForABatchLeavingRoomAndItsLaunchesBecomeCommands() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4))) {
            assertThat(q.directLane(lane)).isTrue();
            long first = q.submit(blocker());
            assertThat(lane.credits.get()).isEqualTo(4); // a batch; the window has room for 6 more
            assertThat(lane.take()).isTrue();
            assertThat(lane.take()).isTrue();
            long next = q.submit(HostTask.of("next", () -> { }));
            // the two direct launches came before it, with the numbers between
            assertThat(next).isEqualTo(first + 3);
            assertThat(q.directLaunches()).isEqualTo(2);
            assertThat(lane.credits.get()).isEqualTo(8 - 4 - 1); // reopened with less than the window has left
            release.countDown();
            assertThat(q.await(next)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.outcome(first + 1)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.outcome(first + 2)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void theWindowBoundsDirectLaunchesAsItsOwn() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(4, 2))) {
            q.directLane(lane);
            q.submit(blocker());
            int made = 0;
            while (lane.take()) {
                made++;
            }
            assertThat(made).isEqualTo(2); // the window has room for 3: one is left for the next submission
            long second = q.submit(HostTask.of("second", () -> { }));
            assertThat(q.view().pending()).isZero();
            assertThat(lane.take()).as("no room left to open the lane with").isFalse();
            long third = q.submit(HostTask.of("third", () -> { }));
            // four in flight: the window is full, so this one waits for the worker
            assertThat(q.view().pending()).isEqualTo(1);
            release.countDown();
            assertThat(q.await(second)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.await(third)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void aSuspensionClosesTheLaneAndKeepsWhatWasMadeUntilItEnds() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4))) {
            q.directLane(lane);
            q.submit(blocker());
            lane.take();
            lane.take();
            q.suspend();
            assertThat(lane.take()).isFalse();
            assertThat(q.submitted()).isEqualTo(3);
            assertThat(q.state()).isEqualTo(QueueState.READY);
            release.countDown();
            q.resume();
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(3);
        }
    }

    @Test
    void theQueueGoesIdleOnlyWithTheLaneClosedAndWhatItMadeEnded() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4))) {
            q.directLane(lane);
            q.submit(blocker());
            for (int i = 0; i < 3; i++) {
                assertThat(lane.take()).isTrue();
            }
            release.countDown();
            while (q.state() != QueueState.IDLE) {
                Thread.sleep(1);
            }
            assertThat(q.submitted()).isEqualTo(4);
            assertThat(q.finished()).isEqualTo(4);
            assertThat(lane.take()).isFalse();
            // the next submission turns it READY again and opens the lane anew
            q.submit(HostTask.of("again", () -> { }));
            assertThat(lane.opened.get()).isEqualTo(2);
        }
    }

    @Test
    void noLaneOpensAboveLevelOne() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.DEACTIVATE, new LaunchConfig(8, 4))) {
            q.directLane(lane);
            long seq = q.submit(HostTask.of("one", () -> { }));
            assertThat(lane.opened.get()).isZero();
            assertThat(lane.take()).isFalse();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void aLevelRaisedClosesTheLane() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4))) {
            q.directLane(lane);
            q.submit(blocker());
            lane.take();
            q.level(PreemptLevel.DEACTIVATE);
            assertThat(lane.take()).isFalse();
            assertThat(q.submitted()).isEqualTo(2);
            long seq = q.submit(HostTask.of("after", () -> { }));
            assertThat(lane.opened.get()).isEqualTo(1);
            release.countDown();
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
        }
    }

    @Test
    void aLaneThatThrowsIsForgottenAndTheQueueGoesOn() throws Exception {
        CreditLane lane = new CreditLane();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4))) {
            q.directLane(lane);
            release.countDown();
            q.submit(blocker());
            lane.failure = new IllegalStateException("broken lane");
            long seq = q.submit(HostTask.of("after", () -> { }));
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            q.awaitAll();
            assertThat(q.state()).isEqualTo(QueueState.IDLE);
            lane.failure = null;
            q.submit(HostTask.of("later", () -> { }));
            assertThat(lane.opened.get()).isEqualTo(1);
        }
    }

    @Test
    void closingTheQueueClosesTheLane() throws Exception {
        CreditLane lane = new CreditLane();
        ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(8, 4));
        q.directLane(lane);
        q.submit(blocker());
        assertThat(lane.take()).isTrue();
        release.countDown();
        q.close();
        assertThat(lane.take()).isFalse();
        assertThat(q.finished()).isEqualTo(2);
    }

    @Test
    void aLaneAboutToOpenShortFirstRetiresWhatTheDeviceFinished() throws Exception {
        HoldingDevice device = new HoldingDevice("held:0", PreemptLevel.LAUNCH);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        CreditLane lane = new CreditLane();
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(device).build()) {
            XQueue q = xsched.createQueue("held:0", QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(new LaunchConfig(8, 2)));
            assertThat(q.directLane(lane)).isTrue();
            HoldingDevice.GatedQueue hw = device.queues.getFirst();
            hw.mute(); // nothing retires by itself
            try {
                q.submit(new HoldingDevice.Mark(runs, 0));
                for (int i = 0; i < 4; i++) {
                    assertThat(lane.take()).isTrue();
                }
                long b = q.submit(new HoldingDevice.Mark(runs, 1)); // records a point behind itself (a batch since the last)
                assertThat(b).isEqualTo(6);
                assertThat(lane.take()).as("opened with the little room left").isTrue();
                assertThat(lane.take()).isFalse();
                Waits.waitFor("two marks run", () -> hw.ran() >= 2);
                hw.answerWhenAsked(); // the device is past that point; the worker, blocked on one, does not notice
                long c = q.submit(new HoldingDevice.Mark(runs, 2));
                // seven in flight, not a full window: asking the newest point behind the tail freed six
                assertThat(q.finished()).isEqualTo(6);
                // half the window, which doubled: the device had finished all but the lane's last launch
                assertThat(lane.credits.get()).as("half the stretched window").isEqualTo(8);
                hw.unmute();
                assertThat(q.await(c)).isEqualTo(Outcome.COMPLETED);
            } finally {
                hw.unmute(); // a failed assertion must not leave the close waiting on a muted point
            }
        } finally {
            device.close();
        }
    }
}
