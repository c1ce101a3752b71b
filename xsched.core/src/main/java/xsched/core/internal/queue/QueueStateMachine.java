package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;

/**
 * The one owner of an XQueue's state: every field below changes only in a named transition, under
 * this one lock. The launch worker, submitting threads, waiting threads and the scheduler ask it
 * what to do and report what they did; none of them flips a flag of its own. The transitions are
 * here (submission, the launch token) and in five groups of the same machine, each in its own
 * class for size only: {@link WorkerSteps} (what the worker does next and what came of it),
 * {@link Preemption} (suspend, stop, resume), {@link Lifecycle} (failure, close), {@link
 * Attachments} (backend hand-over) and {@link CompletionWaits} (waiting for a command). The fields are package-private for them; no
 * other class touches them.
 *
 * <pre>
 * phase       OPEN ──close──▶ CLOSING ──worker done──▶ CLOSED
 *               └──fail──▶ FAILED ◀──fail──┘  FAILED ──close, worker done──▶ CLOSED
 * run         RUNNING ◀──resume / suspend──▶ SUSPENDED          (close resumes)
 * device      NONE ──suspend at Lv2/3──▶ STOPPING ──deactivated──▶ STOPPED ──relaunched──▶ NONE
 * attachment  ATTACHED ──detach──▶ DETACHING ──let go──▶ DETACHED ──attach──▶ ATTACHING ──opened──▶ ATTACHED
 *                                                           ▲──────── open failed ────────┘
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

    enum Attachment { ATTACHED, DETACHING, DETACHED, ATTACHING }

    /** A submission let in: launch it now from the calling thread when {@code launchNow}. */
    record Admitted(long seq, boolean launchNow, boolean recordAfter) {
    }

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
    boolean tokenTaken;
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

    boolean ready() {
        return ready;
    }

    int maxPending() {
        return maxPending;
    }

    QueueView view() {
        lock.lock();
        try {
            String status = switch (phase) {
                case FAILED -> "FAILED";
                case CLOSED -> "CLOSED";
                default -> attachment == Attachment.DETACHED || attachment == Attachment.ATTACHING ? "DETACHED"
                        : suspended ? "SUSPENDED" : "RUNNING";
            };
            return new QueueView(status, suspended, submitted, book.ended(), book.completedCount(), pending.size(), window.size(),
                    blockedReason, failure == null ? null : String.valueOf(failure.getMessage() == null ? failure : failure.getMessage()));
        } finally {
            lock.unlock();
        }
    }

    boolean suspended() {
        return suspended;
    }

    long submitted() {
        return locked(() -> submitted);
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
        level = newLevel;
    }

    /** @param wanted the level the application asked for, or null for the highest available */
    void wantLevel(PreemptLevel wanted) {
        wantedLevel = wanted;
    }

    void config(LaunchConfig newConfig) {
        lock.lock();
        try {
            config = newConfig;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    // ---- submission ----------------------------------------------------------------------------

    /**
     * Takes a command in: launched by the caller at once when the queue runs, the hardware queue
     * may be driven from any thread, the token is free, nothing is pending and the window has room;
     * otherwise buffered for the worker. Waits for room while {@code maxPending} are pending.
     *
     * @param nanos how long to wait for room; {@code Long.MAX_VALUE} waits as long as it takes
     * @return the admission, or null when the queue stayed full
     * @throws IllegalStateException when the queue is closed or failed
     */
    Admitted admit(HwCommand command, long nanos) throws InterruptedException {
        boolean becameReady = false;
        lock.lock();
        try {
            if (tokenTaken && mayLaunchFromCaller(config)) {
                tokenFreedSoon();
            }
            while (phase == Phase.OPEN && pending.size() >= maxPending) {
                if (nanos == Long.MAX_VALUE) {
                    room.await();
                } else if (nanos <= 0) {
                    return null;
                } else {
                    nanos = room.awaitNanos(nanos);
                }
            }
            requireOpen();
            long seq = ++submitted;
            if (!ready) {
                ready = true;
                readySinceNanos = System.nanoTime();
                // a suspended queue always tells: the policy may want it to run (a lone one, certainly)
                toldReady = readiness.turnedReady() || suspended;
                becameReady = toldReady;
            }
            LaunchConfig c = config;
            if (!tokenTaken && mayLaunchFromCaller(c)) {
                tokenTaken = true;
                nextLaunchSeq++;
                window.launched(command, seq);
                lastLaunchNanos = System.nanoTime();
                return new Admitted(seq, true, window.sinceSync() >= c.batchSize());
            }
            pending.add(command);
            work.signal();
            return new Admitted(seq, false, false);
        } finally {
            lock.unlock();
            if (becameReady) {
                // After unlocking: the engine reads the queue's state when it handles an edge, so an
                // edge told late or out of order with another still leaves it with the truth, and
                // waking the scheduler thread must not hold up this queue's other callers.
                edge.run();
            }
        }
    }

    private boolean mayLaunchFromCaller(LaunchConfig c) {
        return pending.isEmpty() && !suspended && stop == DeviceStop.NONE && attachment == Attachment.ATTACHED
                && phase == Phase.OPEN && hw instanceof HwQueue.FreeThreaded && window.size() < c.threshold();
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

    private void requireOpen() {
        switch (phase) {
            case OPEN -> { }
            case FAILED -> throw new IllegalStateException(label + " failed: " + failure, failure);
            default -> throw new IllegalStateException(label + " is closed");
        }
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

    void useLocked(SyncSlot slot) {
        slot.use();
        slotUsers++;
    }

    void releaseLocked(SyncSlot slot) {
        slot.release();
        if (--slotUsers == 0) {
            slotsFree.signalAll();
            work.signal();
        }
    }

    // ---- the worker ----------------------------------------------------------------------------

    void retireLocked(SyncSlot slot) {
        Error error = window.retireThrough(slot, book, System.nanoTime());
        endedLocked();
        if (error != null) {
            lifecycle.failLocked(error);
        }
    }

    /** Lock held, after commands ended: the IDLE edge, waiters, pruning. */
    void endedLocked() {
        if (pending.isEmpty() && window.isEmpty() && ready) {
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
