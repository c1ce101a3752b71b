package xsched.core.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.DirectLane;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwCommand;

/**
 * The application's direct lane ({@link DirectLane}), a transition group of {@link
 * QueueStateMachine}: opened when a submitting thread is let launch at once, for half the
 * window at most; closed first by every transition after which the queue would not launch at
 * once (a submission, a suspension, failure, close, a detach or move, a new window or level) and
 * before the queue goes IDLE. The launches made through it join the window as launched commands of
 * their own ({@link #MADE}), so the window bounds them as it bounds the queue's own, and the queue
 * stays READY while they run. Part of the machine: it changes the machine's state under the
 * machine's lock and nowhere else.
 *
 * <pre>
 * lane   NONE ──set──▶ CLOSED ──front-door launch at Lv1, room left──▶ OPEN ──any transition above──▶ CLOSED
 * </pre>
 */
final class DirectLaunches {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLaunches.class);

    /**
     * Stands in the window for one launch the application made through the lane. The queue never
     * launches it: a lane opens at level 1 only, where launched work is never launched again.
     */
    static final HwCommand MADE = new HwCommand() {
        @Override
        public String describe() {
            return "a launch the application made through its direct lane";
        }
    };

    private final QueueStateMachine m;
    private DirectLane lane;
    private boolean open;
    private long made;

    DirectLaunches(QueueStateMachine machine) {
        this.m = machine;
    }

    /** Replaces the lane (null: none), closing the current one first. */
    void lane(DirectLane newLane) {
        m.lock.lock();
        try {
            closeLocked();
            lane = newLane;
        } finally {
            m.lock.unlock();
        }
    }

    /** Lock held. @return whether a launch at once would open the lane now */
    boolean wouldOpen() {
        return lane != null && !open && m.level == PreemptLevel.LAUNCH;
    }

    /** Lock held. @return whether the lane is open */
    boolean open() {
        return open;
    }

    /** @return how many launches were made through the lane so far */
    long made() {
        return m.locked(() -> made);
    }

    /**
     * Lock held, a submitting thread just let launch at once: opens the lane, at level 1, for half
     * the window at most (a batch, if that is more), and fewer than the room the window has left.
     * Then the submission that comes when they are spent still finds room, and the command it
     * launches records a sync point behind them (a batch or more since the last one): a window never
     * fills with launches no point covers, which would leave that submission to wait for the worker.
     */
    void openLocked() {
        if (lane == null || open || m.level != PreemptLevel.LAUNCH) {
            return;
        }
        LaunchConfig c = m.config;
        int launches = Math.min(c.threshold() - m.window.size() - 1, Math.max(c.batchSize(), c.threshold() / 2));
        if (launches > 0) {
            try {
                lane.open(launches);
                open = true;
            } catch (RuntimeException e) {
                forgetLocked(e);
            }
        }
    }

    /** Lock held: the launches made through the open lane since it was last asked join the window. @return how many */
    int pullLocked() {
        if (!open) {
            return 0;
        }
        try {
            return madeLocked(lane.pull());
        } catch (RuntimeException e) {
            forgetLocked(e);
            return 0;
        }
    }

    /** Lock held: closes the lane; the launches made through it since it was last asked join the window. @return how many */
    int closeLocked() {
        if (!open) {
            return 0;
        }
        open = false;
        try {
            return madeLocked(lane.close());
        } catch (RuntimeException e) {
            forgetLocked(e);
            return 0;
        }
    }

    /**
     * While the lane is open nothing is pending (every submission closes it first), so the next
     * sequence numbers are the next to launch: the made launches take them, in the order made.
     */
    private int madeLocked(int count) {
        if (count <= 0) {
            return 0;
        }
        if (!m.pending.isEmpty()) {
            // a path that queued a command without closing the lane first: numbering the launches
            // now would put them behind it; the queue fails rather than lose track of either
            m.lifecycle.failLocked(new IllegalStateException(m.label + ": " + count
                    + " launches were made through its direct lane while a command was pending"));
            return 0;
        }
        for (int i = 0; i < count; i++) {
            long seq = ++m.submitted;
            m.nextLaunchSeq = seq + 1;
            m.window.launched(MADE, seq);
        }
        made += count;
        m.lastLaunchNanos = System.nanoTime();
        if (m.workerIdle) {
            m.work.signal(); // the new tail wants a sync point
        }
        return count;
    }

    /** A lane that threw is broken: the queue forgets it (the application's launches then all come through submission). */
    private void forgetLocked(RuntimeException e) {
        LOG.error("{}: its direct lane failed and is no longer used", m.label, e);
        lane = null;
        open = false;
    }
}
