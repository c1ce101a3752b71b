package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * The one owner of an XQueue's state: every field below changes only in a named transition of this
 * class, under its one lock. The launch worker, submitting threads, waiting threads and the
 * scheduler ask it what to do and report what they did; none of them flips a flag of its own.
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
    private static final Logger LOG = LoggerFactory.getLogger(QueueStateMachine.class);
    /**
     * How long the worker leaves the newest commands of a free-threaded queue without a sync
     * point: a thread that awaits them records its own, and the submitting thread keeps the launch
     * token to itself. Only the READY→IDLE edge of a queue nobody waits on is this much later.
     */
    private static final long TAIL_GRACE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    enum Phase { OPEN, CLOSING, FAILED, CLOSED }

    enum DeviceStop { NONE, STOPPING, STOPPED }

    enum Attachment { ATTACHED, DETACHING, DETACHED, ATTACHING }

    /** A submission let in: launch it now from the calling thread when {@code launchNow}. */
    record Admitted(long seq, boolean launchNow, boolean recordAfter) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition ended = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final Condition handover = lock.newCondition();
    private final Condition slotsFree = lock.newCondition();

    private final String label;
    private final Runnable edge;
    private final int maxPending;
    private final ArrayDeque<HwCommand> pending = new ArrayDeque<>();
    private final InFlightWindow window = new InFlightWindow();
    private final CompletionBook book = new CompletionBook();

    private Phase phase = Phase.OPEN;
    private Throwable failure;
    private boolean closeRequested;
    private boolean workerDone;
    private boolean suspended;
    private DeviceStop stop = DeviceStop.NONE;
    private PreemptLevel stoppedWith;
    private Attachment attachment = Attachment.ATTACHED;
    private Backend attachTo;
    private XpuDevice attachDevice;
    private long attachAttempts;
    private String blockedReason;
    private boolean tokenTaken;
    private boolean workerIdle;
    private int waiters;
    private int slotUsers;
    private long lastLaunchNanos;
    private long submitted;
    private long nextLaunchSeq = 1;
    private volatile boolean ready;
    private volatile HwQueue hw;
    private volatile XpuDevice device;
    private volatile PreemptLevel level;
    private volatile LaunchConfig config;

    QueueStateMachine(String label, XpuDevice device, LaunchConfig config, int maxPending, Runnable edge) {
        this.label = label;
        this.device = device;
        this.config = config;
        this.maxPending = maxPending;
        this.edge = edge;
    }

    // ---- reading -------------------------------------------------------------------------------

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
        lock.lock();
        try {
            return suspended;
        } finally {
            lock.unlock();
        }
    }

    long submitted() {
        lock.lock();
        try {
            return submitted;
        } finally {
            lock.unlock();
        }
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

    private void checkSeq(long seq) {
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
        lock.lock();
        try {
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
                edge.run();
            }
            LaunchConfig c = config;
            if (!tokenTaken && pending.isEmpty() && !suspended && stop == DeviceStop.NONE && attachment == Attachment.ATTACHED
                    && hw instanceof HwQueue.FreeThreaded && window.size() < c.threshold()) {
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
        }
    }

    private void requireOpen() {
        switch (phase) {
            case OPEN -> { }
            case FAILED -> throw new IllegalStateException(label + " failed: " + failure, failure);
            default -> throw new IllegalStateException(label + " is closed");
        }
    }

    // ---- the launch token and what its holder reports ------------------------------------------

    /** The holder's launch threw a RuntimeException: that command alone fails. */
    void launchFailed(HwCommand command, Throwable cause) {
        lock.lock();
        try {
            window.launchFailed(command, cause);
        } finally {
            lock.unlock();
        }
    }

    /** @return the sequence number a sync point recorded now would cover */
    long newestLaunched() {
        lock.lock();
        try {
            return window.isEmpty() ? 0 : window.newestSeq();
        } finally {
            lock.unlock();
        }
    }

    /** The holder recorded a sync point behind command {@code through}. */
    void recorded(SyncPoint point, long through) {
        lock.lock();
        try {
            if ((phase == Phase.OPEN || phase == Phase.CLOSING) && !window.isEmpty() && window.newestSeq() >= through) {
                window.recorded(point, through, System.nanoTime());
            } else {
                new SyncSlot(point, through, 0).leave();
            }
        } finally {
            lock.unlock();
        }
    }

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

    /**
     * Waits for command {@code seq}. A thread may wait on the sync point behind the command itself
     * (recording one if none stands there) when the hardware queue allows it and the wait has no
     * limit; otherwise it waits to be told by whoever retires the command.
     *
     * @return the outcome, or null when {@code nanos} ran out
     */
    Outcome await(long seq, long nanos, SyncWaits direct) throws InterruptedException {
        lock.lock();
        try {
            checkSeq(seq);
            Outcome outcome;
            while ((outcome = book.outcome(seq)) == null) {
                if (nanos == Long.MAX_VALUE && seq < nextLaunchSeq && stop == DeviceStop.NONE
                        && attachment == Attachment.ATTACHED && phase != Phase.FAILED && hw instanceof HwQueue.FreeThreaded) {
                    SyncSlot slot = window.slotCovering(seq);
                    if (slot != null) {
                        waitOn(slot, direct);
                        continue;
                    }
                    if (!tokenTaken) {
                        tokenTaken = true;
                        long through = window.newestSeq();
                        lock.unlock();
                        try {
                            direct.record(through);
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                }
                if (++waiters == 1) {
                    work.signal();
                }
                try {
                    if (nanos == Long.MAX_VALUE) {
                        ended.await();
                    } else if (nanos <= 0) {
                        return null;
                    } else {
                        nanos = ended.awaitNanos(nanos);
                    }
                } finally {
                    waiters--;
                }
            }
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: waits on a slot's point with the lock released, then retires through it. */
    private void waitOn(SyncSlot slot, SyncWaits direct) throws InterruptedException {
        useLocked(slot);
        boolean reached;
        lock.unlock();
        try {
            reached = direct.await(slot.point);
        } catch (InterruptedException e) {
            lock.lock();
            releaseLocked(slot);
            throw e;
        } catch (Throwable t) {
            lock.lock();
            releaseLocked(slot);
            failLocked(t);
            return;
        }
        lock.lock();
        releaseLocked(slot);
        afterWaitLocked(slot, reached);
    }

    /** A wait on a slot ended. A point cancelled while no stop was in progress is a broken backend. */
    private void afterWaitLocked(SyncSlot slot, boolean reached) {
        if (reached) {
            retireLocked(slot);
        } else if (!slot.gone() && stop == DeviceStop.NONE) {
            failLocked(new IllegalStateException("the backend cancelled a sync point of " + label
                    + " although nothing deactivated it"));
        }
    }

    private void useLocked(SyncSlot slot) {
        slot.use();
        slotUsers++;
    }

    private void releaseLocked(SyncSlot slot) {
        slot.release();
        if (--slotUsers == 0) {
            slotsFree.signalAll();
            work.signal();
        }
    }

    /** How a thread that is not the worker waits on a sync point, and records one. */
    interface SyncWaits {
        boolean await(SyncPoint point) throws InterruptedException;

        /** Records a sync point behind {@code through}; the token is taken and must be released. */
        void record(long through);
    }

    // ---- the worker ----------------------------------------------------------------------------

    /** The worker's next step; sleeps until there is one. */
    LaunchStep nextStep() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                LaunchStep step = decide();
                if (step != null) {
                    return step;
                }
                workerIdle = true;
                try {
                    work.await();
                } finally {
                    workerIdle = false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private LaunchStep decide() {
        if (phase == Phase.FAILED || phase == Phase.CLOSED) {
            return tokenTaken || slotUsers > 0 ? null : take(new LaunchStep.Exit());
        }
        if (tokenTaken || stop == DeviceStop.STOPPING) {
            return null;
        }
        switch (attachment) {
            case DETACHING -> {
                return take(new LaunchStep.Detach(stop == DeviceStop.NONE));
            }
            case ATTACHING -> {
                return take(new LaunchStep.Attach(attachTo, attachDevice));
            }
            case DETACHED -> {
                return phase == Phase.CLOSING ? take(new LaunchStep.Exit()) : null;
            }
            case ATTACHED -> { }
        }
        if (stop == DeviceStop.STOPPED) {
            return suspended ? null : take(new LaunchStep.Relaunch(stoppedWith));
        }
        LaunchConfig c = config;
        boolean canLaunch = !suspended;
        if (canLaunch && !pending.isEmpty() && window.size() < c.threshold()) {
            HwCommand command = pending.poll();
            long seq = nextLaunchSeq++;
            window.launched(command, seq);
            lastLaunchNanos = System.nanoTime();
            room.signal();
            return take(new LaunchStep.Launch(command, seq, window.sinceSync() >= c.batchSize() || pending.isEmpty()));
        }
        boolean freeThreaded = hw instanceof HwQueue.FreeThreaded;
        if (window.hasSlots() && (freeThreaded || window.tailCovered())) {
            boolean moreCouldCome = canLaunch && pending.isEmpty() && window.size() < c.threshold();
            boolean block = freeThreaded || waiters > 0 || !moreCouldCome;
            return new LaunchStep.AwaitOldest(window.oldestSlot(), block);
        }
        if (!window.tailCovered()) {
            long quietFor = System.nanoTime() - lastLaunchNanos;
            if (freeThreaded && waiters == 0 && quietFor < TAIL_GRACE_NANOS) {
                return new LaunchStep.Pause(TAIL_GRACE_NANOS - quietFor);
            }
            return take(new LaunchStep.Record());
        }
        if (phase == Phase.CLOSING && pending.isEmpty() && window.isEmpty()) {
            return take(new LaunchStep.Exit());
        }
        return null;
    }

    private LaunchStep take(LaunchStep step) {
        tokenTaken = true;
        return step;
    }

    /**
     * The worker is about to wait on a slot: count it as a user so nobody closes the point under it.
     *
     * @return false when the slot already left the window (retired by another waiter)
     */
    boolean use(SyncSlot slot) {
        lock.lock();
        try {
            if (slot.gone()) {
                return false;
            }
            useLocked(slot);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The worker's wait on a slot ended: reached, or cancelled by a deactivation. */
    void waited(SyncSlot slot, boolean reached) {
        lock.lock();
        try {
            releaseLocked(slot);
            afterWaitLocked(slot, reached);
        } finally {
            lock.unlock();
        }
    }

    /** A wait on a slot was given up (the waiter threw, or only checked it): nothing is concluded. */
    void abandon(SyncSlot slot) {
        lock.lock();
        try {
            releaseLocked(slot);
        } finally {
            lock.unlock();
        }
    }

    /** The worker leaves a free-threaded queue's newest commands alone a little longer. */
    void pause(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (waiters == 0 && phase == Phase.OPEN && attachment == Attachment.ATTACHED) {
                work.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The worker found the oldest point not yet reached and more may be submitted: it naps on the
     * queue's condition (a submission wakes it) for about half the time points have taken so far.
     */
    void nap(SyncSlot slot, long minNanos) throws InterruptedException {
        lock.lock();
        try {
            long expectedIn = (window.typicalSyncNanos() - (System.nanoTime() - slot.recordedAt)) / 2;
            if (pending.isEmpty() && waiters == 0 && !suspended && attachment == Attachment.ATTACHED && !slot.gone()) {
                work.awaitNanos(Math.max(expectedIn, minNanos));
            }
        } finally {
            lock.unlock();
        }
    }

    private void retireLocked(SyncSlot slot) {
        Error error = window.retireThrough(slot, book, System.nanoTime());
        endedLocked();
        if (error != null) {
            failLocked(error);
        }
    }

    /** Lock held, after commands ended: the IDLE edge, waiters, pruning. */
    private void endedLocked() {
        if (pending.isEmpty() && window.isEmpty() && ready) {
            ready = false;
            edge.run();
        }
        book.prune(submitted, window.isEmpty() ? nextLaunchSeq : window.oldestSeq());
        if (waiters > 0) {
            ended.signalAll();
        }
    }

    // ---- suspend, resume, relaunch -------------------------------------------------------------

    /**
     * Suspends: nothing more is launched. At level 2 or 3 on a hardware queue that can, the device
     * must also be stopped: the returned level says how, and the caller must then call {@link
     * #stopHardware} with it (on any thread but the scheduler's).
     *
     * @return the level to stop the hardware queue at, or null when nothing more is to be done
     */
    PreemptLevel suspend() {
        lock.lock();
        try {
            if (suspended || phase != Phase.OPEN) {
                return null;
            }
            suspended = true;
            return beginStopLocked();
        } finally {
            lock.unlock();
        }
    }

    private PreemptLevel beginStopLocked() {
        PreemptLevel l = level;
        HwQueue h = hw;
        if (stop != DeviceStop.NONE || attachment != Attachment.ATTACHED || l == PreemptLevel.LAUNCH
                || !(h instanceof HwQueue.Deactivatable)) {
            return null;
        }
        if (l == PreemptLevel.INTERRUPT && !(h instanceof HwQueue.Interruptible)) {
            l = PreemptLevel.DEACTIVATE;
        }
        stop = DeviceStop.STOPPING;
        stoppedWith = l;
        return l;
    }

    /** Deactivates or interrupts the hardware queue, then records that it is stopped. */
    void stopHardware(PreemptLevel with) {
        HwQueue h = hw;
        try {
            if (with == PreemptLevel.INTERRUPT) {
                ((HwQueue.Interruptible) h).interrupt();
            } else {
                ((HwQueue.Deactivatable) h).deactivate();
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            lock.lock();
            try {
                if (stop == DeviceStop.STOPPING) {
                    stop = DeviceStop.STOPPED;
                }
                work.signal();
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until no deactivation of this queue is in progress. */
    void awaitStopped() {
        lock.lock();
        try {
            while (stop == DeviceStop.STOPPING) {
                ended.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Resumes; with {@code dropPending} what was never launched is dropped first. Never blocks. */
    void resume(boolean dropPending) {
        lock.lock();
        try {
            if (dropPending) {
                endPendingLocked(Outcome.DROPPED, null);
            }
            if (suspended && phase == Phase.OPEN) {
                suspended = false;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void endPendingLocked(Outcome outcome, Throwable reason) {
        if (pending.isEmpty()) {
            return;
        }
        book.unlaunched(nextLaunchSeq, submitted, outcome, reason);
        nextLaunchSeq = submitted + 1;
        pending.clear();
        room.signalAll();
        endedLocked();
    }

    /** The worker handed the log back: the device runs the queue again, unless it was suspended meanwhile. */
    LaunchStep relaunched() {
        lock.lock();
        try {
            stop = DeviceStop.NONE;
            tokenTaken = false;
            PreemptLevel again = suspended ? beginStopLocked() : null;
            work.signal();
            return again == null ? null : new LaunchStep.Stop(again);
        } finally {
            lock.unlock();
        }
    }

    /** For the relaunch: retires a slot the device reached before it stopped. */
    void retireIfReached(SyncSlot slot) {
        lock.lock();
        try {
            retireLocked(slot);
        } finally {
            lock.unlock();
        }
    }

    /** Before a relaunch: every slot leaves (cancelled by the stop; the worker records anew) and the log is handed out. */
    java.util.List<HwCommand> relaunchLog() {
        lock.lock();
        try {
            window.dropSlots();
            return window.log();
        } finally {
            lock.unlock();
        }
    }

    /** The relaunch could not happen (the new hardware queue cannot): launched commands fail. */
    void failLaunched(Throwable reason) {
        lock.lock();
        try {
            window.failAll(book, reason);
            endedLocked();
        } finally {
            lock.unlock();
        }
    }

    SyncSlot oldestSlot() {
        lock.lock();
        try {
            return window.oldestSlot();
        } finally {
            lock.unlock();
        }
    }

    // ---- failure and close ---------------------------------------------------------------------

    /** The hardware queue or the worker broke: every command not yet ended fails with the reason. */
    void fail(Throwable reason) {
        lock.lock();
        try {
            failLocked(reason);
        } finally {
            lock.unlock();
        }
    }

    private void failLocked(Throwable reason) {
        if (phase == Phase.FAILED || phase == Phase.CLOSED) {
            return;
        }
        LOG.error("{} failed; its commands fail with the reason", label, reason);
        phase = Phase.FAILED;
        failure = reason;
        suspended = false;
        endPendingLocked(Outcome.FAILED, reason);
        window.failAll(book, reason);
        endedLocked();
        work.signalAll();
        ended.signalAll();
        room.signalAll();
        handover.signalAll();
    }

    /**
     * Starts closing: what was never launched is dropped, a suspended queue resumes so that its
     * launched work ends.
     *
     * @return true when the worker has already ended and the queue is now closed
     */
    boolean close() {
        lock.lock();
        try {
            switch (phase) {
                case OPEN -> {
                    phase = Phase.CLOSING;
                    endPendingLocked(Outcome.DROPPED, null);
                    suspended = false;
                }
                case FAILED -> {
                    closeRequested = true;
                    if (workerDone) {
                        phase = Phase.CLOSED;
                        return true;
                    }
                }
                default -> { }
            }
            work.signalAll();
            room.signalAll();
            handover.signalAll();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The worker ended. Launched commands a closing queue still holds (kept for a backend that
     * never came) fail.
     *
     * @return true when the queue is now closed and its listener must hear of it
     */
    boolean workerDone() {
        lock.lock();
        try {
            workerDone = true;
            tokenTaken = false;
            if (!window.isEmpty()) {
                window.failAll(book, new IllegalStateException(label + " closed before its backend came back"));
                endedLocked();
            }
            if (phase == Phase.CLOSING || (phase == Phase.FAILED && closeRequested)) {
                phase = Phase.CLOSED;
                ready = false;
                ended.signalAll();
                handover.signalAll();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean failed() {
        lock.lock();
        try {
            return phase == Phase.FAILED;
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return phase == Phase.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    // ---- backend hand-over ---------------------------------------------------------------------

    /**
     * Asks the worker to let go of the hardware queue and waits until it has, at most {@code nanos}.
     *
     * @return true once detached (or nothing to detach)
     */
    boolean requestDetach(String reason, long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (attachment == Attachment.DETACHED || phase != Phase.OPEN) {
                return true;
            }
            blockedReason = reason;
            if (attachment == Attachment.ATTACHED) {
                attachment = Attachment.DETACHING;
                work.signal();
            }
            while (attachment != Attachment.DETACHED && phase == Phase.OPEN && nanos > 0) {
                nanos = handover.awaitNanos(nanos);
            }
            return attachment == Attachment.DETACHED || phase != Phase.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** The worker let go of the hardware queue. */
    void detached() {
        lock.lock();
        try {
            hw = null;
            attachment = Attachment.DETACHED;
            tokenTaken = false;
            handover.signalAll();
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the worker to open a hardware queue on {@code backend}, waits at most {@code nanos}.
     *
     * @return true once attached
     */
    boolean requestAttach(Backend backend, XpuDevice newDevice, long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (attachment != Attachment.DETACHED || phase != Phase.OPEN) {
                return attachment == Attachment.ATTACHED;
            }
            attachment = Attachment.ATTACHING;
            attachTo = backend;
            attachDevice = newDevice;
            long attempt = ++attachAttempts;
            work.signal();
            while (attachment == Attachment.ATTACHING && attachAttempts == attempt && phase == Phase.OPEN && nanos > 0) {
                nanos = handover.awaitNanos(nanos);
            }
            return attachment == Attachment.ATTACHED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The worker opened {@code next}. Launched commands kept from a running queue cannot be
     * relaunched and fail; those of a stopped queue are relaunched when it runs.
     */
    void attached(HwQueue next, XpuDevice newDevice, PreemptLevel cappedLevel) {
        lock.lock();
        try {
            hw = next;
            device = newDevice;
            level = cappedLevel;
            attachment = Attachment.ATTACHED;
            attachTo = null;
            attachDevice = null;
            blockedReason = null;
            attachAttempts++;
            if (stop == DeviceStop.NONE && !window.isEmpty()) {
                window.failAll(book, new IllegalStateException("its backend went away before it completed"));
                endedLocked();
            }
            tokenTaken = false;
            handover.signalAll();
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Opening a hardware queue on the new backend failed: stay detached. */
    void attachFailed() {
        lock.lock();
        try {
            attachment = Attachment.DETACHED;
            attachTo = null;
            attachDevice = null;
            attachAttempts++;
            tokenTaken = false;
            handover.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The worker, detaching a running queue, waits for launched work; with no sync point behind it, it records one. */
    boolean drained() {
        lock.lock();
        try {
            return window.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    boolean tailCovered() {
        lock.lock();
        try {
            return window.tailCovered();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no thread waits on a sync point, then lets every slot go. */
    void releaseSlots() throws InterruptedException {
        lock.lock();
        try {
            while (slotUsers > 0) {
                slotsFree.await();
            }
            window.dropSlots();
        } finally {
            lock.unlock();
        }
    }

    String blockedReason() {
        lock.lock();
        try {
            return blockedReason;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
