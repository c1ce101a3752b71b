package xsched.core.internal.queue;

import java.util.List;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * The transitions of a {@link QueueStateMachine} that its launch worker drives: what to do next
 * (with the launch token handed out for hardware steps) and what came of it. Part of the machine:
 * it changes the machine's state under the machine's lock and nowhere else.
 */
final class WorkerSteps {
    /**
     * How long the worker leaves the newest commands of a free-threaded queue without a sync
     * point: a thread that awaits them records its own, and the submitting thread keeps the launch
     * token to itself. Only the READY→IDLE edge of a queue nobody waits on is this much later.
     */
    private static final long TAIL_GRACE_NANOS = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(50);
    /**
     * How long the worker leaves launches made through an open direct lane without a sync point:
     * the application's next submission records one behind them (a batch of them at most), and a
     * synchronization counts them as done; the worker records its own only for an application that
     * went quiet without either, so its queue goes IDLE this much later. Until then the worker
     * stays off the stream the application launches on.
     */
    private static final long LANE_GRACE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long the worker leaves the newest commands without a sync point once the application has
     * told the queue of a synchronize of its own ({@link ApplicationSyncs}): its next synchronize
     * most likely ends them, and a record of the worker's would only meet it on the stream (a
     * CUDA-graph inference synchronizes 1.2 ms after its launch on the H200). An application that
     * then goes quiet without one has its queue go IDLE this much later.
     */
    private static final long APP_SYNC_GRACE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(4);

    /**
     * For this long after its last launch the worker of a free-threaded queue sleeps in periods
     * instead of waiting to be woken, so a submitting thread launching into an empty window never
     * pays for waking it (an awaiting thread retires its commands itself); a queue nobody awaits is
     * still retired within a period. The period starts at 1 ms after a launch and doubles while
     * nothing is launched, up to 16 ms, so a quiet queue wakes about 8 times in those 100 ms rather
     * than 100. Queues idle longer sleep until woken.
     */
    private static final long WATCH_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    private static final long WATCH_PERIOD_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WATCH_PERIOD_MAX_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(16);
    /** Diagnostic switch for benchmarks: {@code -Dxsched.queue.eagerWake=true} wakes the worker at every launch into an empty window instead. */
    private static final boolean WATCH = !Boolean.getBoolean("xsched.queue.eagerWake");

    private final QueueStateMachine m;
    /** The worker's own: the launch its current watch follows, and the watch's period. */
    private long watchedLaunch;
    private long watchPeriodNanos = WATCH_PERIOD_NANOS;

    WorkerSteps(QueueStateMachine machine) {
        this.m = machine;
    }

    /** The holder's launch threw a RuntimeException: that command alone fails. */
    void launchFailed(HwCommand command, Throwable cause) {
        m.locked(() -> m.window.launchFailed(command, cause));
    }

    /** @return the sequence number a sync point recorded now would cover */
    long newestLaunched() {
        return m.locked(() -> m.window.isEmpty() ? 0 : m.window.newestSeq());
    }

    /** The holder recorded a sync point behind command {@code through}. */
    void recorded(SyncPoint point, long through) {
        m.lock.lock();
        try {
            if ((m.phase == Phase.OPEN || m.phase == Phase.CLOSING) && !m.window.isEmpty() && m.window.newestSeq() >= through) {
                m.window.recorded(point, through, System.nanoTime());
            } else {
                new SyncSlot(point, through, 0).leave();
            }
        } finally {
            m.lock.unlock();
        }
    }

    /** The worker's next step; sleeps until there is one. */
    LaunchStep nextStep() throws InterruptedException {
        m.lock.lock();
        try {
            while (true) {
                LaunchStep step = decide();
                if (step != null) {
                    return step;
                }
                boolean watching = WATCH && m.hw instanceof HwQueue.FreeThreaded && System.nanoTime() - m.lastLaunchNanos < WATCH_NANOS;
                m.workerIdle = !watching;
                try {
                    if (watching) {
                        watchPeriodNanos = m.lastLaunchNanos != watchedLaunch ? WATCH_PERIOD_NANOS
                                : Math.min(watchPeriodNanos * 2, WATCH_PERIOD_MAX_NANOS);
                        watchedLaunch = m.lastLaunchNanos;
                        m.work.awaitNanos(watchPeriodNanos);
                    } else {
                        m.work.await();
                    }
                } finally {
                    m.workerIdle = false;
                }
            }
        } finally {
            m.lock.unlock();
        }
    }

    private LaunchStep decide() {
        if (m.phase == Phase.FAILED || m.phase == Phase.CLOSED) {
            return m.tokenTaken || m.slotUsers > 0 ? null : take(new LaunchStep.Exit());
        }
        if (m.tokenTaken || m.stop == DeviceStop.STOPPING) {
            return null;
        }
        switch (m.attachment) {
            case DETACHING -> {
                return take(new LaunchStep.Detach(m.stop == DeviceStop.NONE));
            }
            case ATTACHING -> {
                return take(new LaunchStep.Attach(m.attachTo, m.attachDevice));
            }
            case DETACHED -> {
                return m.phase == Phase.CLOSING ? take(new LaunchStep.Exit()) : null;
            }
            case MOVING -> {
                return null;
            }
            case ATTACHED -> { }
        }
        Attachments.Move move = m.attachments.beginMoveLocked();
        if (move != null) {
            return take(new LaunchStep.Move(move));
        }
        if (m.stop == DeviceStop.STOPPED) {
            return m.suspended ? null : take(new LaunchStep.Relaunch(m.stoppedWith));
        }
        LaunchConfig c = m.config;
        int threshold = m.thresholdLocked();
        boolean canLaunch = !m.suspended;
        if (canLaunch && !m.pending.isEmpty() && m.window.size() < threshold) {
            HwCommand command = m.pending.poll();
            long seq = m.nextLaunchSeq++;
            m.window.launched(command, seq);
            m.lastLaunchNanos = System.nanoTime();
            m.room.signal();
            return take(new LaunchStep.Launch(command, seq, m.window.sinceSync() >= c.batchSize() || m.pending.isEmpty()));
        }
        boolean freeThreaded = m.hw instanceof HwQueue.FreeThreaded;
        if (m.window.hasSlots() && (freeThreaded || m.window.tailCovered())) {
            boolean moreCouldCome = canLaunch && m.pending.isEmpty() && m.window.size() < threshold;
            boolean block = freeThreaded || m.waiters > 0 || !moreCouldCome;
            return new LaunchStep.AwaitOldest(m.window.oldestSlot(), block);
        }
        if (!m.window.tailCovered()) {
            long quietFor = System.nanoTime() - m.lastLaunchNanos;
            // a suspended queue launches nothing more: a point behind its tail soon tells when it
            // drained; not at once, since a launch the lane's close counted may still be on its way
            // to the driver (the interposer takes the credit before it calls), and must go first
            long grace = m.suspended ? TAIL_GRACE_NANOS
                    : m.appSyncs ? APP_SYNC_GRACE_NANOS : m.direct.open() ? LANE_GRACE_NANOS : TAIL_GRACE_NANOS;
            if (freeThreaded && m.waiters == 0 && quietFor < grace) {
                return new LaunchStep.Pause(grace - quietFor);
            }
            return take(new LaunchStep.Record());
        }
        if (m.phase == Phase.CLOSING && m.pending.isEmpty() && m.window.isEmpty()) {
            return take(new LaunchStep.Exit());
        }
        return null;
    }

    private LaunchStep take(LaunchStep step) {
        m.tokenTaken = true;
        return step;
    }

    /**
     * The worker is about to wait on a slot: count it as a user so nobody closes the point under it.
     *
     * @return false when the slot already left the window (retired by another waiter)
     */
    boolean use(SyncSlot slot) {
        m.lock.lock();
        try {
            if (slot.gone()) {
                return false;
            }
            m.useLocked(slot);
            return true;
        } finally {
            m.lock.unlock();
        }
    }

    /** The worker's wait on a slot ended: reached, or cancelled by a deactivation. */
    void waited(SyncSlot slot, boolean reached) {
        m.lock.lock();
        try {
            m.releaseLocked(slot);
            m.afterWaitLocked(slot, reached);
        } finally {
            m.lock.unlock();
        }
    }

    /** A wait on a slot was given up (the waiter threw, or only checked it): nothing is concluded. */
    void abandon(SyncSlot slot) {
        m.locked(() -> m.releaseLocked(slot));
    }

    /** The worker leaves a free-threaded queue's newest commands alone a little longer. */
    void pause(long nanos) throws InterruptedException {
        m.lock.lock();
        try {
            if (m.waiters == 0 && m.phase == Phase.OPEN && m.attachment == Attachment.ATTACHED) {
                m.work.awaitNanos(nanos);
            }
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * The worker found the oldest point not yet reached and more may be submitted: it naps on the
     * queue's condition (a submission wakes it) for about half the time points have taken so far.
     */
    void nap(SyncSlot slot, long minNanos) throws InterruptedException {
        m.lock.lock();
        try {
            long expectedIn = (m.window.typicalSyncNanos() - (System.nanoTime() - slot.recordedAt)) / 2;
            if (m.pending.isEmpty() && m.waiters == 0 && !m.suspended && m.attachment == Attachment.ATTACHED && !slot.gone()) {
                m.work.awaitNanos(Math.max(expectedIn, minNanos));
            }
        } finally {
            m.lock.unlock();
        }
    }

    /** The worker handed the log back: the device runs the queue again, unless it was suspended meanwhile. */
    LaunchStep relaunched() {
        m.lock.lock();
        try {
            m.stop = DeviceStop.NONE;
            m.tokenTaken = false;
            PreemptLevel again = m.suspended ? m.preemption.beginStopLocked() : null;
            m.work.signal();
            return again == null ? null : new LaunchStep.Stop(again);
        } finally {
            m.lock.unlock();
        }
    }

    /** For the relaunch: retires a slot the device reached before it stopped. */
    void retireIfReached(SyncSlot slot) {
        m.locked(() -> m.retireLocked(slot));
    }

    /** Before a relaunch: every slot leaves (cancelled by the stop; the worker records anew) and the log is handed out. */
    java.util.List<HwCommand> relaunchLog() {
        m.lock.lock();
        try {
            m.window.dropSlots();
            return m.window.log();
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Before reopening a hardware queue that held its launched commands ({@link HwQueue.Holding}):
     * the slots stay, since their points will be reached once the held commands run.
     */
    java.util.List<HwCommand> heldLog() {
        return m.locked(() -> m.window.log());
    }

    /** @return the level the queue's launched work was stopped at on the device, or null when it was not */
    PreemptLevel stoppedOnDevice() {
        return m.locked(() -> m.stop == DeviceStop.STOPPED ? m.stoppedWith : null);
    }

    /** A held queue was reopened so that it can be let go of: it runs (and is drained) like any other. */
    void reopenedForDetach() {
        m.locked(() -> {
            m.stop = DeviceStop.NONE;
            m.stoppedWith = null;
        });
    }

    /** The relaunch could not happen (the new hardware queue cannot): launched commands fail. */
    void failLaunched(Throwable reason) {
        m.lock.lock();
        try {
            m.window.failAll(m.book, reason);
            m.endedLocked();
        } finally {
            m.lock.unlock();
        }
    }

    SyncSlot oldestSlot() {
        return m.locked(() -> m.window.oldestSlot());
    }

    /** The worker, detaching a running queue, waits for launched work; with no sync point behind it, it records one. */
    boolean drained() {
        return m.locked(() -> m.window.isEmpty());
    }

    boolean tailCovered() {
        return m.locked(() -> m.window.tailCovered());
    }

    /** Waits until no thread waits on a sync point, then lets every slot go. */
    void releaseSlots() throws InterruptedException {
        m.lock.lock();
        try {
            while (m.slotUsers > 0) {
                m.slotsFree.await();
            }
            m.window.dropSlots();
        } finally {
            m.lock.unlock();
        }
    }
}
