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
 *
 * <p>The lane also stretches the window ({@link #stretch()}): each time the application comes back
 * for more and the device has already finished everything before the lane's last batch, the window
 * (and so the next batch) doubles, up to {@value #MOST_STRETCH_DEFAULT} times the configured one
 * (system property {@value #MOST_STRETCH_PROPERTY}; 1 turns it off). A program whose launching the
 * device keeps up with (the launch-bound loop of an eager framework) then comes up to the queue once
 * per few hundred launches rather than per few dozen. When the device had not finished what came
 * before the lane's batch, the window stays as it is (setting it back would leave the application
 * to wait until the device is through all it holds) and the next batch is half the configured
 * window, so a queue that outruns the device fills its window no faster than without the stretch;
 * what it holds is bounded by the stretched window, not the configured one, until it is suspended
 * or goes IDLE. A suspension, a new window or level (also through a move or attach), a new lane or
 * a lane that failed sets the window back to the configured one (what is in flight then is what
 * the stretched window let in). Going IDLE sets it back for the first batch of the next job: when
 * the device keeps up with that one as well, the window is at once what it was (a job of the same
 * program is usually like the last); when not, it stays the configured one until the device keeps
 * up. With system property {@value #RESTORE_AFTER_IDLE_PROPERTY}=N (milliseconds; the default,
 * {@value #RESTORE_AFTER_IDLE_DEFAULT_MILLIS}, is never), a queue that was IDLE for less than N ms
 * is taken for a steady loop of jobs, the next like the last: its next job starts with the window it
 * went IDLE with, so an eager inference loop comes up once or twice a job rather than three or four
 * times (on the H200 that cost no less: cuda-h200.md, fifteenth session). Above level 1 the window
 * is never stretched.
 *
 * <pre>
 * stretch   1 ──kept up──▶ 2 ──▶ 4 ──▶ … most     any ──suspended, new window, level or lane, lane failed──▶ 1
 *           any ──IDLE──▶ 1, the stretch remembered ──first batch kept up──▶ the remembered stretch (or 2)
 *                                                 ──READY again within the bound──▶ the remembered stretch
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

    static final String MOST_STRETCH_PROPERTY = "xsched.queue.laneStretch";
    static final int MOST_STRETCH_DEFAULT = 8;
    private static final int MOST_STRETCH = mostStretch(System.getProperty(MOST_STRETCH_PROPERTY));
    static final String RESTORE_AFTER_IDLE_PROPERTY = "xsched.queue.laneStretchIdleMillis";
    static final int RESTORE_AFTER_IDLE_DEFAULT_MILLIS = 0;

    private final QueueStateMachine m;
    /** An IDLE period shorter than this gives the next job the stretch the queue went IDLE with; read per queue. */
    private final long restoreAfterIdleNanos = restoreAfterIdleNanos(System.getProperty(RESTORE_AFTER_IDLE_PROPERTY));
    private DirectLane lane;
    private boolean open;
    private long made;
    private int stretch = 1;
    /** The stretch to restore after IDLE: the largest the queue went IDLE with since it was last restored or set back; else 1. */
    private int stretchBeforeIdle = 1;
    /** Bumped by every setting back, so that a submission that released the lock meanwhile learns nothing from its return. */
    private int setBacks;
    /** Whether the device had finished what came before the lane's last batch when the application came back. */
    private boolean keptUp = true;
    /** The queue's submission count when it last turned READY: the job's first command came after it. */
    private long jobStart;
    /** How many commands the last job submitted (those made through the lane included), from READY to IDLE. */
    private int lastJob;
    /** The credits the first batch of a job after a short IDLE asks for (the last job's length and an eighth); 0: none. */
    private int nextJob;

    DirectLaunches(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * @param text the property's value, null when unset
     * @return the most the window stretches, 1 to 64; an unreadable value is reported and leaves the default
     */
    static int mostStretch(String text) {
        if (text == null || text.isBlank()) {
            return MOST_STRETCH_DEFAULT;
        }
        try {
            int most = Integer.parseInt(text.strip());
            if (most >= 1 && most <= 64) {
                return most;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("{}={} is not a whole number from 1 to 64; the lane stretches the window {} times at most",
                MOST_STRETCH_PROPERTY, text, MOST_STRETCH_DEFAULT);
        return MOST_STRETCH_DEFAULT;
    }

    /**
     * @param text the property's value in milliseconds, null when unset
     * @return how short an IDLE period gives the next job the stretch at once, 0 to 60 s; an unreadable value is reported and leaves the default
     */
    static long restoreAfterIdleNanos(String text) {
        if (text == null || text.isBlank()) {
            return RESTORE_AFTER_IDLE_DEFAULT_MILLIS * 1_000_000L;
        }
        try {
            long millis = Long.parseLong(text.strip());
            if (millis >= 0 && millis <= 60_000) {
                return millis * 1_000_000L;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("{}={} is not a whole number of milliseconds from 0 to 60000; {} ms is used",
                RESTORE_AFTER_IDLE_PROPERTY, text, RESTORE_AFTER_IDLE_DEFAULT_MILLIS);
        return RESTORE_AFTER_IDLE_DEFAULT_MILLIS * 1_000_000L;
    }

    /**
     * Replaces the lane (null: none), closing the current one first; the same lane again only
     * closes it (its launches counted) and keeps the window's stretch.
     */
    void lane(DirectLane newLane) {
        m.lock.lock();
        try {
            closeLocked();
            if (newLane != lane) {
                unstretchLocked();
            }
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

    /** Lock held. @return how many times the configured window the queue's window is now, 1 or more */
    int stretch() {
        return stretch;
    }

    /** Lock held. @return a count that changes whenever the window is set back ({@link #unstretchLocked}) */
    int setBacks() {
        return setBacks;
    }

    /**
     * Lock held, a submission about to launch at once after {@code made} launches through the lane
     * (0: none since it last opened: nothing is learnt); the window may have asked what the device
     * finished (a full window asks only its oldest point). When the window holds nothing older than
     * those launches the device kept up with them: the window doubles (to the most), or is what it
     * was before the queue went IDLE. When it holds more, the next batch is half the configured window.
     */
    void cameBackLocked(int made) {
        if (made > 0) {
            keptUp = m.window.size() <= made;
            if (keptUp) {
                stretch = Math.min(Math.max(stretch * 2, stretchBeforeIdle), MOST_STRETCH);
                stretchBeforeIdle = 1;
            }
        }
    }

    /** Lock held: the window is the configured one again. */
    void unstretchLocked() {
        stretch = 1;
        stretchBeforeIdle = 1;
        nextJob = 0;
        keptUp = true;
        setBacks++;
    }

    /**
     * Lock held, the queue going IDLE: the next job's first batch gets the configured window; the stretch is kept for after it.
     *
     * @param submitted the queue's submission count
     */
    void idleLocked(long submitted) {
        stretchBeforeIdle = Math.max(stretch, stretchBeforeIdle);
        stretch = 1;
        nextJob = 0;
        lastJob = (int) Math.min(Integer.MAX_VALUE / 2, submitted - jobStart);
    }

    /**
     * Lock held, the queue turning READY after {@code idleNanos} IDLE (negative: it never was): a
     * short pause, the steady loop's, gives the window the stretch it went IDLE with at once, and
     * the job's first batch as many credits as the last job had commands and an eighth (so a job
     * like the last comes up once), three quarters of the window at most.
     *
     * @param submitted the queue's submission count before the job's first command
     */
    void readyAgainLocked(long idleNanos, long submitted) {
        jobStart = submitted;
        if (stretchBeforeIdle > stretch && keptUp && idleNanos >= 0 && idleNanos < restoreAfterIdleNanos) {
            stretch = stretchBeforeIdle;
            stretchBeforeIdle = 1;
            nextJob = lastJob + lastJob / 8;
        }
    }

    /** Lock held, a submission left to the worker: a job's first batch that did not open the lane at once gets no more than any other. */
    void jobLeftToWorkerLocked() {
        nextJob = 0;
    }

    /** @return how many launches were made through the lane so far */
    long made() {
        return m.locked(() -> made);
    }

    /**
     * Lock held, a submitting thread just let launch at once: opens the lane, at level 1, for half
     * the window at most (half the configured one after the device fell behind; a batch, if that is
     * more; the last job's length, up to three quarters, for a job's first batch after a short
     * IDLE), and fewer than the room the window has left.
     * Then the submission that comes when they are spent still finds room, and the command it
     * launches records a sync point behind them (a batch or more since the last one): a window never
     * fills with launches no point covers, which would leave that submission to wait for the worker.
     *
     * @return whether the lane opened
     */
    boolean openLocked() {
        int job = nextJob; // for the job's first batch only, whether it opens now or not
        nextJob = 0;
        if (lane == null || open || m.level != PreemptLevel.LAUNCH) {
            return false;
        }
        LaunchConfig c = m.config;
        int threshold = m.thresholdLocked();
        int half = (keptUp ? threshold : c.threshold()) / 2;
        int wanted = Math.max(c.batchSize(), Math.max(half, Math.min(job, threshold / 4 * 3)));
        int launches = Math.min(threshold - m.window.size() - 1, wanted);
        if (launches > 0) {
            try {
                lane.open(launches);
                open = true;
            } catch (RuntimeException e) {
                forgetLocked(e);
            }
        }
        return open;
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
        unstretchLocked(); // the queue's own launches get the configured window
    }
}
