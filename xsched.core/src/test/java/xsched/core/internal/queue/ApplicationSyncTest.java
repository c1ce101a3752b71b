package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.core.internal.queue.Waits.waitFor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.core.engine.ScheduledQueue;

/**
 * The application's own synchronize ({@link XQueue#launchedThrough}, {@link XQueue#completedThrough})
 * on a device whose sync points are muted: the device ran the work, but the queue cannot learn it
 * from its points, so only what the synchronize tells it can end the commands.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ApplicationSyncTest {
    private final HeldRuntime held = new HeldRuntime();
    private final HoldingDevice device = held.device;
    private final EmbeddedXsched xsched = held.xsched;
    private final AtomicIntegerArray runs = held.runs;

    @AfterEach
    void close() {
        held.close();
    }

    /** The mark as the agent takes it, again while a launch was under way (the worker records behind the tail). */
    private static long mark(XQueue q) throws InterruptedException {
        long[] mark = {-1};
        waitFor("a mark", () -> (mark[0] = q.launchedThrough()) >= 0);
        return mark[0];
    }

    @Test
    void atLevelOneTheCommandsThroughTheMarkEndAtOnceAndTheQueueGoesIdle() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        held.ranMuted(q, 5);
        long mark = mark(q);
        assertThat(mark).isEqualTo(5);
        assertThat(q.state()).as("its points say nothing").isEqualTo(QueueState.READY);
        assertThat(q.finished()).isZero();

        assertThat(q.completedThrough(mark)).isTrue();
        assertThat(q.finished()).as("ended on the caller's thread").isEqualTo(5);
        assertThat(q.outcome(5)).isEqualTo(Outcome.COMPLETED);
        assertThat(q.state()).isEqualTo(QueueState.IDLE);
    }

    @Test
    void commandsBeyondTheMarkWaitForTheirOwnPoints() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        HoldingDevice.GatedQueue hw = held.ranMuted(q, 3);
        long mark = mark(q);
        long later = q.submit(new HoldingDevice.Mark(runs, 3)); // launched after the mark: the synchronize does not cover it
        assertThat(q.completedThrough(mark)).isTrue();
        assertThat(q.outcome(3)).isEqualTo(Outcome.COMPLETED);
        assertThat(q.outcome(later)).isNull();
        assertThat(q.state()).isEqualTo(QueueState.READY);
        hw.unmute();
        assertThat(q.await(later)).isEqualTo(Outcome.COMPLETED);
        waitFor("IDLE", () -> q.state() == QueueState.IDLE);
        assertThat(runs.get(3)).isEqualTo(1);
    }

    @Test
    void commandsHeldBackWhileSuspendedAreNotCoveredByAMark() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        HoldingDevice.GatedQueue hw = held.ranMuted(q, 2);
        q.suspend();
        long held = q.submit(new HoldingDevice.Mark(runs, 2)); // pending: never launched
        long mark = mark(q);
        assertThat(mark).isEqualTo(2);
        assertThat(q.completedThrough(held)).as("taken, for what was launched only").isTrue();
        assertThat(q.outcome(2)).isEqualTo(Outcome.COMPLETED);
        assertThat(q.outcome(held)).isNull();
        assertThat(runs.get(2)).isZero();
        hw.unmute();
        q.resume();
        assertThat(q.await(held)).isEqualTo(Outcome.COMPLETED);
        assertThat(runs.get(2)).isEqualTo(1);
    }

    @Test
    void aboveLevelOneTheQueueFindsOutByItself() throws Exception {
        XQueue q = held.queue(PreemptLevel.DEACTIVATE);
        HoldingDevice.GatedQueue hw = held.ranMuted(q, 4);
        assertThat(q.launchedThrough()).isEqualTo(-1);
        assertThat(q.completedThrough(4)).isFalse();
        assertThat(q.finished()).isZero();
        hw.unmute();
        q.awaitAll();
        assertThat(q.finished()).isEqualTo(4);
    }

    @Test
    void aClosedQueueTakesNoMark() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        q.close();
        assertThat(q.launchedThrough()).isEqualTo(-1);
        assertThat(q.completedThrough(-1)).isFalse();
    }

    @Test
    void aQueueWhoseApplicationSynchronizedStillGoesIdleByItselfWhenItStopsSynchronizing() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        HoldingDevice.GatedQueue hw = held.ranMuted(q, 2);
        assertThat(q.completedThrough(mark(q))).isTrue();
        hw.unmute();
        long last = q.submit(new HoldingDevice.Mark(runs, 2)); // no synchronize follows
        waitFor("IDLE through the queue's own sync point", () -> q.state() == QueueState.IDLE);
        assertThat(q.outcome(last)).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void aReadyPeriodTheSchedulerHasNotLookedAtIsLeftToTheQueue() throws Exception {
        List<ScheduledQueue> told = new CopyOnWriteArrayList<>();
        QueueListener scheduler = new QueueListener() { // told of every edge, looks only when asked to
            @Override
            public void edge(ScheduledQueue queue) {
                told.add(queue);
            }

            @Override
            public void closed(ScheduledQueue queue) {
            }
        };
        ProgressiveQueue q = new ProgressiveQueue(1, 1, device.device, device,
                QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(new LaunchConfig(8, 2)), scheduler, Runnable::run);
        try {
            held.ranMuted(q, 2);
            long mark = mark(q);
            assertThat(told).as("the READY edge was told").isNotEmpty();
            assertThat(q.completedThrough(mark)).as("the scheduler has not looked at the queue yet").isFalse();
            assertThat(q.finished()).isZero();
            assertThat(told.getFirst().ready()).isTrue(); // the scheduler looks
            assertThat(q.completedThrough(mark)).isTrue();
            assertThat(q.finished()).isEqualTo(2);
            assertThat(q.state()).isEqualTo(QueueState.IDLE);
        } finally {
            device.queues.forEach(HoldingDevice.GatedQueue::unmute);
            q.close();
        }
    }
}
