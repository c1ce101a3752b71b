package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.core.internal.queue.Waits.waitFor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.api.XQueue;

/**
 * When a suspended queue's launched work has all ended ({@link XQueue#drainedSinceNanos()}): what a
 * policy measures its leads by. Level 1, on a device whose sync points say nothing while muted.
 */
class DrainTest {
    private final HeldRuntime held = new HeldRuntime();

    @AfterEach
    void close() {
        held.close();
    }

    @Test
    void aSuspendedQueueHasDrainedOnceTheLastCommandItLaunchedEnded() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        HoldingDevice.GatedQueue hw = held.ranMuted(q, 3);
        long before = System.nanoTime();
        q.suspend();
        Thread.sleep(20);
        assertThat(q.drainedSinceNanos()).as("its launched commands are not known to have ended").isEqualTo(Long.MIN_VALUE);

        hw.unmute();
        waitFor("a drain", () -> q.drainedSinceNanos() != Long.MIN_VALUE);
        assertThat(q.drainedSinceNanos()).isGreaterThan(before);
        assertThat(q.finished()).isEqualTo(3);
    }

    @Test
    void aQueueSuspendedWithNothingLaunchedHasDrainedAtOnce() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        long before = System.nanoTime();
        q.suspend();
        assertThat(q.drainedSinceNanos()).isGreaterThanOrEqualTo(before);
        q.resume();
        long again = System.nanoTime();
        q.suspend();
        assertThat(q.drainedSinceNanos()).as("each suspension dates its own").isGreaterThanOrEqualTo(again);
    }

    @Test
    void atLevel2TheQueueHasDrainedOnceTheDeviceStoppedIt() throws Exception {
        XQueue q = held.queue(PreemptLevel.DEACTIVATE);
        held.ranMuted(q, 2);
        long before = System.nanoTime();
        q.suspend();
        waitFor("a drain", () -> q.drainedSinceNanos() != Long.MIN_VALUE);
        assertThat(q.drainedSinceNanos()).as("its launched commands held back, not ended").isGreaterThan(before);
        assertThat(q.finished()).isZero();
    }

    @Test
    void aRunningQueueNeverDrains() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        q.submit(new HoldingDevice.Mark(held.runs, 0));
        q.submit(new HoldingDevice.Mark(held.runs, 1));
        waitFor("idle", () -> q.finished() == 2);
        assertThat(q.drainedSinceNanos()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theApplicationsSynchronizeEndsWhatItLaunchedAndSoDrainsASuspendedQueue() throws Exception {
        XQueue q = held.queue(PreemptLevel.LAUNCH);
        held.ranMuted(q, 2);
        long[] mark = {-1};
        waitFor("a mark", () -> (mark[0] = q.launchedThrough()) >= 0);
        q.suspend();
        assertThat(q.drainedSinceNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(q.completedThrough(mark[0])).isTrue();
        assertThat(q.drainedSinceNanos()).as("ended on the caller's thread, drained with them").isNotEqualTo(Long.MIN_VALUE);
    }
}
