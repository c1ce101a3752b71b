package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.core.internal.queue.DirectLaneTest.CreditLane;

/**
 * The window a direct lane stretches: it doubles each time the application comes back for more
 * and the device has finished all but the lane's last launches, up to eight times the configured
 * one; a device that fell behind gets smaller batches; a suspension sets it back, and going IDLE
 * for a while for the next job's first batch (a short IDLE period keeps it).
 * The device's sync points answer only when asked (the worker, blocked on one, learns nothing), so
 * what retires is what the submitting thread's one question finds.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LaneStretchTest {
    private final HoldingDevice device = new HoldingDevice("held:0", PreemptLevel.LAUNCH);
    private final AtomicIntegerArray runs = new AtomicIntegerArray(16);
    private final CreditLane lane = new CreditLane();
    private EmbeddedXsched xsched;
    private XQueue q;
    private HoldingDevice.GatedQueue hw;
    private int marks;

    @BeforeEach
    void open() {
        xsched = EmbeddedXsched.builder().manualScheduling().backend(device).build();
        openQueue();
    }

    private void openQueue() {
        q = xsched.createQueue("held:0", QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(new LaunchConfig(8, 2)));
        assertThat(q.directLane(lane)).isTrue();
        hw = device.queues.getLast();
        hw.mute();
        hw.answerWhenAsked();
    }

    /** Replaces the queue, before anything was submitted, by one made with {@code millis} as its IDLE bound ({@link DirectLaunches#RESTORE_AFTER_IDLE_PROPERTY}). */
    private void reopenWithIdleBound(String millis) {
        q.close();
        String before = System.setProperty(DirectLaunches.RESTORE_AFTER_IDLE_PROPERTY, millis);
        try {
            openQueue();
        } finally {
            if (before == null) {
                System.clearProperty(DirectLaunches.RESTORE_AFTER_IDLE_PROPERTY);
            } else {
                System.setProperty(DirectLaunches.RESTORE_AFTER_IDLE_PROPERTY, before);
            }
        }
    }

    @AfterEach
    void close() {
        hw.unstall();
        hw.unmute();
        xsched.close();
        device.close();
    }

    /** Submits the next mark; it launches at once. @return its sequence number */
    private long mark() {
        return q.submit(new HoldingDevice.Mark(runs, marks++));
    }

    /** The device ran every mark submitted so far. */
    private void deviceCaughtUp() throws InterruptedException {
        Waits.waitFor(marks + " marks run", () -> hw.ran() >= marks);
    }

    /** Spends the lane's credits. @return how many there were */
    private int spend() {
        int made = 0;
        while (lane.take()) {
            made++;
        }
        return made;
    }

    /** The first job's first launch: the lane opens for half the configured window, and its credits are spent. */
    private void start() throws InterruptedException {
        mark();
        assertThat(spend()).isEqualTo(4);
        deviceCaughtUp();
    }

    /** Comes back for more once the device ran everything: the lane opens for the credits the window has room for. */
    private void doubling(int... credits) throws InterruptedException {
        for (int expected : credits) {
            mark();
            deviceCaughtUp();
            assertThat(spend()).as("credits after %d marks", marks).isEqualTo(expected);
        }
    }

    @Test
    void theWindowDoublesWhileTheDeviceKeepsUpToEightTimesTheConfiguredOne() throws Exception {
        start();
        // 16, 32, 64, 64, 64: half of it, or less when the window holds more than half (32 made and a mark)
        doubling(8, 16, 32, 30, 32);
        hw.unmute();
        assertThat(q.await(mark())).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void aDeviceThatFellBehindKeepsTheWindowAndGetsHalfTheConfiguredOneABatchUntilItIsFull() throws Exception {
        start();
        doubling(8);
        hw.stall(); // the device takes up nothing more: the next question finds this mark unfinished
        mark();
        assertThat(spend()).as("kept up until this mark: a window of 32").isEqualTo(16);
        long late = mark();
        assertThat(q.launchedThrough()).as("the window of 32 holds 26: launched at once").isGreaterThanOrEqualTo(late);
        assertThat(spend()).as("half the configured window, not half the stretched one").isEqualTo(4);
        mark();
        assertThat(spend()).as("no room left for a lane").isZero();
        mark(); // the 32nd in flight
        long full = mark();
        assertThat(q.launchedThrough()).as("the stretched window is full: the worker launches it").isEqualTo(full - 1);
        hw.unstall();
        hw.unmute();
        assertThat(q.await(full)).isEqualTo(Outcome.COMPLETED);
        q.awaitAll();
        assertThat(q.finished()).isEqualTo(q.submitted());
    }

    @Test
    void theSameLaneGivenAgainCountsItsLaunchesAndKeepsTheStretch() throws Exception {
        start();
        doubling(8); // a window of 16
        assertThat(q.directLane(lane)).isTrue(); // as the agent does when the application synchronizes
        mark();
        // the 8 counted, what the device ran before them retired: 8 and the mark in a window of 16
        assertThat(spend()).isEqualTo(6);
    }

    @Test
    void aSuspensionSetsTheWindowBack() throws Exception {
        start();
        mark();
        assertThat(lane.credits.get()).as("the window doubled").isEqualTo(8);
        q.suspend(); // closes the lane, none of it taken
        q.resume();
        mark();
        // the window holds the lane's first four and two marks: room for one in the configured window
        assertThat(lane.credits.get()).isEqualTo(1);
    }

    /** Stretches the window to 64 in a job of 64 commands, then lets the queue go IDLE. */
    private void stretchedThenIdle() throws InterruptedException {
        start();
        doubling(8, 16, 32);
        idle();
    }

    /** The worker learns that the device ran everything: the queue goes IDLE. */
    private void idle() throws InterruptedException {
        hw.unmute();
        Waits.waitFor("the queue IDLE", () -> q.state() == QueueState.IDLE);
        hw.mute();
        hw.answerWhenAsked();
    }

    @Test
    void afterALongIdleTheNextJobsFirstBatchGetsTheConfiguredWindowAndThenTheStretchAtOnce() throws Exception {
        reopenWithIdleBound("0"); // every IDLE period is long (the default)
        stretchedThenIdle();
        start(); // half the configured window, 4
        doubling(32); // kept up: 64 at once, not 16
    }

    @Test
    void afterAShortIdleTheNextJobStartsWithTheStretch() throws Exception {
        reopenWithIdleBound("60000"); // every IDLE period of this test is short
        stretchedThenIdle();
        mark();
        assertThat(spend()).as("the last job's 64 and an eighth, three quarters of the window of 64 at most").isEqualTo(48);
        deviceCaughtUp();
        doubling(14); // and it stays: the window of 64 holds the 48 made and a mark
        idle();
        mark();
        for (int i = 0; i < 39; i++) {
            assertThat(lane.take()).isTrue();
        }
        idle(); // a job of 40
        mark();
        assertThat(spend()).as("the last job's 40 and an eighth").isEqualTo(45);
    }

    @Test
    void aSuspensionWhileIdleForgetsTheStretch() throws Exception {
        reopenWithIdleBound("60000");
        stretchedThenIdle();
        q.suspend();
        q.resume();
        start(); // half the configured window, 4
    }

    /** The first job's first batch, then a return the device kept up with: the window doubled, its lane open for 8 and none taken. */
    private void stretchedOnce() throws InterruptedException {
        start();
        hw.stall(); // from here nothing the device is asked about has finished
        mark();
        assertThat(lane.credits.get()).as("half of the doubled window").isEqualTo(8);
    }

    @Test
    void aNewWindowSetsItBack() throws Exception {
        stretchedOnce();
        q.launchConfig(new LaunchConfig(8, 2));
        mark();
        assertThat(lane.credits.get()).as("room for one in the configured window of 8").isEqualTo(1);
    }

    @Test
    void aNewLaneStartsFromTheConfiguredWindow() throws Exception {
        stretchedOnce();
        CreditLane other = new CreditLane();
        q.directLane(other);
        mark();
        assertThat(other.credits.get()).as("room for one in the configured window of 8").isEqualTo(1);
    }

    @Test
    void aLaneThatFailedLeavesTheQueueItsConfiguredWindow() throws Exception {
        stretchedOnce();
        lane.failure = new IllegalStateException("broken lane");
        mark(); // the lane is forgotten; 6 in flight
        mark();
        mark();
        long ninth = mark();
        assertThat(q.launchedThrough()).as("the configured window of 8 is full: the worker launches it").isEqualTo(ninth - 1);
        lane.failure = null;
    }

    @Test
    void aReturnWithoutLaunchesThroughTheLaneLearnsNothing() throws Exception {
        start();
        mark();
        assertThat(lane.credits.get()).isEqualTo(8);
        mark(); // none taken: the window neither doubles nor gives half the configured one
        assertThat(lane.credits.get()).as("half of the doubled window").isEqualTo(8);
    }

    @Test
    void theMostStretchIsReadFromItsPropertyAndABadValueLeavesTheDefault() {
        assertThat(DirectLaunches.mostStretch(null)).isEqualTo(8);
        assertThat(DirectLaunches.mostStretch(" 1 ")).isEqualTo(1);
        assertThat(DirectLaunches.mostStretch("64")).isEqualTo(64);
        assertThat(DirectLaunches.mostStretch("0")).isEqualTo(8);
        assertThat(DirectLaunches.mostStretch("65")).isEqualTo(8);
        assertThat(DirectLaunches.mostStretch("many")).isEqualTo(8);
    }

    @Test
    void theIdleBoundIsReadFromItsPropertyAndABadValueLeavesTheDefault() {
        assertThat(DirectLaunches.restoreAfterIdleNanos(null)).as("never, by default").isZero();
        assertThat(DirectLaunches.restoreAfterIdleNanos(" 5 ")).isEqualTo(5_000_000L);
        assertThat(DirectLaunches.restoreAfterIdleNanos("60000")).isEqualTo(60_000_000_000L);
        assertThat(DirectLaunches.restoreAfterIdleNanos("-1")).isZero();
        assertThat(DirectLaunches.restoreAfterIdleNanos("60001")).isZero();
        assertThat(DirectLaunches.restoreAfterIdleNanos("soon")).isZero();
    }
}
