package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;

/**
 * The one owner of an XQueue's state: every field below changes only in a named transition, under
 * this one lock. The launch worker, submitting threads, waiting threads and the scheduler ask it
 * what to do and report what they did; none of them flips a flag of its own. The transitions are
 * here (the launch token, retiring) and in seven groups of the same machine, each in its own
 * class for size only: {@link Admission} (submission), {@link WorkerSteps} (what the worker does next and what came of it),
 * {@link Preemption} (suspend, stop, resume), {@link Lifecycle} (failure, close), {@link
 * Attachments} (backend hand-over) and {@link CompletionWaits} (waiting for a command), {@link DirectLaunches} (the
 * application's direct lane). The fields are package-private for them; no
 * other class touches them.
 *
 * <pre>
 * phase       OPEN ──close──▶ CLOSING ──worker done──▶ CLOSED
 *               └──fail──▶ FAILED ◀──fail──┘  FAILED ──close, worker done──▶ CLOSED
 * run         RUNNING ◀──resume / suspend──▶ SUSPENDED          (close resumes)
 * device      NONE ──suspend at Lv2/3──▶ STOPPING ──deactivated──▶ STOPPED ──relaunched──▶ NONE
 * attachment  ATTACHED ──detach──▶ DETACHING ──let go──▶ DETACHED ──attach──▶ ATTACHING ──opened──▶ ATTACHED
 *                                                           ▲──────── open failed ────────┘
 *             ATTACHED ──move (at a command boundary)──▶ MOVING ──moved, or open failed──▶ ATTACHED
 * token       FREE ◀──▶ TAKEN   (its holder alone calls launch, record, reactivate, open, close on the hardware queue)
 * </pre>
 *
 * <p>Commands move pending → launched (the {@link InFlightWindow}) → ended (the {@link
 * CompletionBook}); pending ones hold the sequence numbers {@code nextLaunchSeq … submitted}.
 */
final class QueueStateMachine {
    private static final long TOKEN_SPIN_NANOS = 20_000;

    enum Phase { OPEN, CLOSING, FAILED, CLOSED }

    enum DeviceStop { NONE, STOPPING, STOPPED }

    enum Attachment { ATTACHED, DETACHING, DETACHED, ATTACHING, MOVING }

    final ReentrantLock lock = new ReentrantLock();
    final Condition work = lock.newCondition();
    final Condition ended = lock.newCondition();
    final Condition room = lock.newCondition();
    final Condition handover = lock.newCondition();
    final Condition slotsFree = lock.newCondition();

    final String label;
    /**
     * Told when {@link #ready} changes, unless the queue runs alone under a policy that lets it keep
     * its edges ({@link QueueListener#turnedReady()}): READY after the lock is released, IDLE under
     * it; it only enqueues.
     */
    final Runnable edge;
    /** Counts READY queues and says whether an edge must be told at once (see {@link QueueListener#turnedReady()}). */
    final QueueListener readiness;
    /** Whether the READY edge of the current READY period was told. */
    boolean toldReady;
    /** Set by the engine when it reads {@link #ready}: it may believe the queue READY, so IDLE must be told. */
    volatile boolean seenReady;
    /** {@link System#nanoTime()} of the last IDLE→READY. */
    volatile long readySinceNanos = Long.MIN_VALUE;
    /** {@link System#nanoTime()} of the last READY→IDLE; written before {@link #ready} turns false. */
    volatile long idleSinceNanos = Long.MIN_VALUE;
    /** {@link System#nanoTime()} at which the launched work last all ended while suspended ({@link #drainedLocked}). */
    volatile long drainedSinceNanos = Long.MIN_VALUE;
    /** Told once, under the lock, when the queue is closed (as {@link #edge}, it only enqueues). */
    final Runnable closed;
    final int maxPending;
    final ArrayDeque<HwCommand> pending = new ArrayDeque<>();
    final InFlightWindow window = new InFlightWindow();
    final CompletionBook book = new CompletionBook();

    Phase phase = Phase.OPEN;
    Throwable failure;
    boolean closeRequested;
    boolean closeReported;
    /** Written under the lock; read without it by the scheduler, so its rounds never wait for a submit. */
    volatile boolean suspended;
    DeviceStop stop = DeviceStop.NONE;
    PreemptLevel stoppedWith;
    Attachment attachment = Attachment.ATTACHED;
    Backend attachTo;
    XpuDevice attachDevice;
    long attachAttempts;
    String blockedReason;
    /** Where the worker is to move the hardware queue at its next command boundary, or null. */
    Attachments.Move moveTo;
    /** The move the worker is carrying out (attachment MOVING), or null. */
    Attachments.Move moving;
    /** Why the last move did not happen, or null. */
    String moveFailure;
    /** The partition the hardware queue runs on; null for the whole device. */
    volatile DevicePartition partition;
    boolean tokenTaken;
    /** Whether the application told the queue of a synchronize of its own ({@link ApplicationSyncs}). */
    boolean appSyncs;
    boolean workerIdle;
    int waiters;
    int slotUsers;
    long lastLaunchNanos;
    long submitted;
    long nextLaunchSeq = 1;
    volatile boolean ready;
    volatile HwQueue hw;
    volatile XpuDevice device;
    volatile PreemptLevel level;
    /** The level the application asked for; null: the highest each hardware queue offers (raised on a swap). */
    volatile PreemptLevel wantedLevel;
    volatile LaunchConfig config;

    final WorkerSteps steps = new WorkerSteps(this);
    final Attachments attachments = new Attachments(this);
    final CompletionWaits waits = new CompletionWaits(this);
    final Preemption preemption = new Preemption(this);
    final Lifecycle lifecycle = new Lifecycle(this);
    final Admission admission = new Admission(this);
    final DirectLaunches direct = new DirectLaunches(this);
    final ApplicationSyncs syncs = new ApplicationSyncs(this);

    QueueStateMachine(String label, XpuDevice device, LaunchConfig config, int maxPending, Runnable edge, Runnable closed,
            QueueListener readiness) {
        this.label = label;
        this.readiness = readiness;
        this.closed = closed;
        this.device = device;
        this.config = config;
        this.maxPending = maxPending;
        this.edge = edge;
    }

    // ---- reading -------------------------------------------------------------------------------

    <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    HwQueue hw() {
        return hw;
    }

    XpuDevice device() {
        return device;
    }

    PreemptLevel level() {
        return level;
    }

    LaunchConfig config() {
        return config;
    }

    /**
     * Lock held. @return how many launched commands the window holds at most now: the configured
     * threshold, stretched by the lane at level 1 ({@link DirectLaunches}), at most {@link Integer#MAX_VALUE}
     */
    int thresholdLocked() {
        int threshold = config.threshold();
        return level == PreemptLevel.LAUNCH ? (int) Math.min(Integer.MAX_VALUE, (long) threshold * direct.stretch()) : threshold;
    }

    boolean ready() {
        return ready;
    }

    int maxPending() {
        return maxPending;
    }

    QueueView view() {
        return locked(() -> QueueView.of(this));
    }

    boolean suspended() {
        return suspended;
    }

    long submitted() {
        return locked(() -> submitted);
    }

    long ended() {
        return locked(book::ended);
    }

    Outcome outcome(long seq) {
        lock.lock();
        try {
            checkSeq(seq);
            return book.outcome(seq);
        } finally {
            lock.unlock();
        }
    }

    Throwable failure(long seq) {
        lock.lock();
        try {
            checkSeq(seq);
            return book.failure(seq);
        } finally {
            lock.unlock();
        }
    }

    void checkSeq(long seq) {
        if (seq < 1 || seq > submitted) {
            throw new IllegalArgumentException(label + " has no command " + seq + " (submitted: " + submitted + ")");
        }
    }

    // ---- opening, configuration ----------------------------------------------------------------

    /** The worker opened the first hardware queue. */
    void opened(HwQueue first, PreemptLevel initialLevel) {
        hw = first;
        level = initialLevel;
    }

    void level(PreemptLevel newLevel) {
        lock.lock();
        try {
            direct.closeLocked(); // a lane opens at level 1 only
            direct.unstretchLocked();
            level = newLevel;
        } finally {
            lock.unlock();
        }
    }

    /** @param wanted the level the application asked for, or null for the highest available */
    void wantLevel(PreemptLevel wanted) {
        wantedLevel = wanted;
    }

    void config(LaunchConfig newConfig) {
        lock.lock();
        try {
            direct.closeLocked(); // it opened with the old window's room
            direct.unstretchLocked();
            config = newConfig;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lock held, the launch token taken by another thread: whoever holds it is in a short hardware
     * call (a launch, a record) as a rule, so spin for it a little, the lock released, rather than
     * hand the work to the worker or park.
     *
     * @return whether the token is free now
     */
    boolean tokenFreedSoon() {
        long until = System.nanoTime() + TOKEN_SPIN_NANOS;
        while (tokenTaken && System.nanoTime() < until) {
            lock.unlock();
            Thread.onSpinWait();
            lock.lock();
        }
        return !tokenTaken;
    }

    // ---- the launch token and what its holder reports ------------------------------------------

    /** The holder is done with the hardware queue. Wakes the worker only when it sleeps and has work. */
    void releaseToken() {
        lock.lock();
        try {
            tokenTaken = false;
            if (workerIdle) {
                work.signal();
            }
            if (waiters > 0) {
                ended.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- waiting for completion ----------------------------------------------------------------

    /** A wait on a slot ended. A point cancelled while no stop was in progress is a broken backend. */
    void afterWaitLocked(SyncSlot slot, boolean reached) {
        if (reached) {
            retireLocked(slot);
        } else if (!slot.gone() && stop == DeviceStop.NONE) {
            lifecycle.failLocked(new IllegalStateException("the backend cancelled a sync point of " + label
                    + " although nothing deactivated it"));
        }
    }

    /**
     * Lock held: asks once, with the lock released, whether a slot's point was reached, and retires
     * through it if so; never blocks on the device. For a thread other than the worker on a
     * free-threaded hardware queue.
     */
    void askLocked(SyncSlot slot) {
        useLocked(slot);
        boolean reached;
        lock.unlock();
        try {
            reached = slot.point.reached();
        } catch (Throwable t) {
            lock.lock();
            releaseLocked(slot);
            lifecycle.failLocked(t);
            return;
        }
        lock.lock();
        releaseLocked(slot);
        if (reached) {
            afterWaitLocked(slot, true);
        }
    }

    void useLocked(SyncSlot slot) {
        slot.use();
        slotUsers++;
    }

    /**
     * A thread is done with a slot. When the last one lets go, the worker is woken if it may be
     * waiting for that (to exit) or for what the wait retired (room for pending commands); an open
     * queue with nothing pending leaves it alone, so a thread that waited on a point itself costs
     * the worker no wake-up.
     */
    void releaseLocked(SyncSlot slot) {
        slot.release();
        if (--slotUsers == 0) {
            slotsFree.signalAll();
            if (phase != Phase.OPEN || !pending.isEmpty()) {
                work.signal();
            }
        }
    }

    // ---- the worker ----------------------------------------------------------------------------

    void retireLocked(SyncSlot slot) {
        boolean draining = drainingLocked();
        Error error = window.retireThrough(slot, book, System.nanoTime());
        endedAfterRetireLocked(draining);
        if (error != null) {
            lifecycle.failLocked(error);
        }
    }

    /**
     * Lock held, the queue suspended: none of its work runs on the device any more. Dated for the
     * policy, which learns from it how long the queue takes to leave the device to others, and told
     * like an edge while the queue is READY (an IDLE one told its edge already), so that a relay to
     * another process reports it.
     */
    void drainedLocked() {
        drainedSinceNanos = System.nanoTime();
        tellDrainedLocked();
    }

    private void tellDrainedLocked() {
        if (ready && (toldReady || seenReady)) {
            edge.run();
        }
    }

    /** Lock held: whether the queue is suspended with launched work, which it drains when that has all ended. */
    boolean drainingLocked() {
        return suspended && !window.isEmpty();
    }

    /**
     * Lock held, launched commands just retired: {@link #endedLocked}, and the drain if they were
     * the last of a queue that was {@linkplain #drainingLocked() draining}, dated before the IDLE
     * edge (whose report then says it) and told as an edge of its own only when the queue stays READY.
     */
    void endedAfterRetireLocked(boolean draining) {
        boolean drained = draining && window.isEmpty();
        if (drained) {
            drainedSinceNanos = System.nanoTime();
        }
        endedLocked();
        if (drained) {
            tellDrainedLocked();
        }
    }

    /** Lock held, after commands ended: the IDLE edge, waiters, pruning. */
    void endedLocked() {
        // launches made through the direct lane meanwhile keep the queue READY: only a lane that
        // made none since last asked, and none while closing, lets it go IDLE
        if (pending.isEmpty() && window.isEmpty() && ready && direct.pullLocked() == 0 && direct.closeLocked() == 0) {
            idleSinceNanos = System.nanoTime();
            direct.idleLocked(submitted);
            ready = false;
            readiness.turnedIdle();
            boolean tell = toldReady || seenReady;
            toldReady = false;
            seenReady = false;
            if (tell) {
                edge.run();
            }
        }
        book.prune(submitted, window.isEmpty() ? nextLaunchSeq : window.oldestSeq());
        if (waiters > 0) {
            ended.signalAll();
        }
    }

    // ---- suspend, resume, relaunch -------------------------------------------------------------

    void endPendingLocked(Outcome outcome, Throwable reason) {
        if (pending.isEmpty()) {
            return;
        }
        book.unlaunched(nextLaunchSeq, submitted, outcome, reason);
        nextLaunchSeq = submitted + 1;
        pending.clear();
        room.signalAll();
        endedLocked();
    }

    // ---- failure and close ---------------------------------------------------------------------

    /** @return whether the queue failed (it may have been closed since) */
    boolean failed() {
        return locked(() -> failure != null);
    }

    // ---- backend hand-over ---------------------------------------------------------------------

    String blockedReason() {
        return locked(() -> blockedReason);
    }

    @Override
    public String toString() {
        return label;
    }
}
