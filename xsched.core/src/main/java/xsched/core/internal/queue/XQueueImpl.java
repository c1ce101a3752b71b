package xsched.core.internal.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;

/**
 * The XQueue: a command buffer in front of one hardware queue, drained by a {@link LaunchWorker}
 * with progressive launching. The submit path takes only this queue's lock and allocates nothing
 * beyond the command. Suspend and resume are serialized by a control lock so that a deactivation
 * and a reactivation never overlap.
 */
public final class XQueueImpl implements XQueue, ManagedQueue {
    final ReentrantLock lock = new ReentrantLock();
    final Condition work = lock.newCondition();
    private final Condition ended = lock.newCondition();
    final ReentrantLock control = new ReentrantLock();

    final ArrayDeque<HwCommand> pending = new ArrayDeque<>();
    final CompletionBook book = new CompletionBook();
    long submitted;
    long nextLaunchSeq = 1;
    boolean closing;
    boolean stopped;
    PreemptLevel stoppedWith;
    boolean relaunchRequested;
    int waiters;

    private volatile QueueState state = QueueState.IDLE;
    private volatile boolean suspended;
    volatile LaunchConfig config;
    private volatile PreemptLevel level;
    volatile int inFlight;

    private final long id;
    private final String name;
    private final long pid;
    private volatile XpuDevice device;
    private final QueueListener listener;
    private final Thread worker;
    /** The hardware queue; null while detached from a backend that went away. Written by the worker. */
    volatile HwQueue hw;
    boolean detachRequested;
    Backend attachTo;
    XpuDevice attachDevice;
    private volatile String blockedReason;
    /** Signalled when the worker lets go of a hardware queue or opens a new one. */
    private final Condition detached = lock.newCondition();

    /**
     * Opens the hardware queue on a new launch worker and waits until it is open.
     *
     * @throws IllegalArgumentException when the level is above what the device or its queue supports
     * @throws IllegalStateException    when the backend cannot open a queue
     */
    public XQueueImpl(long id, long pid, XpuDevice device, Backend backend, QueueOptions options, QueueListener listener) {
        this.id = id;
        this.name = options.name().isEmpty() ? "q" + id : options.name();
        this.pid = pid;
        this.device = device;
        this.listener = listener;
        this.config = options.launch();
        CompletableFuture<HwQueue> opened = new CompletableFuture<>();
        LaunchWorker launchWorker = new LaunchWorker(this, backend, opened);
        this.worker = Thread.ofPlatform().daemon().name("xsched-launch-" + id).unstarted(launchWorker);
        worker.start();
        try {
            this.hw = opened.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot open a queue on " + device.id() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening a queue on " + device.id(), e);
        }
        PreemptLevel wanted = options.level().orElse(supportedLevel(device, hw));
        try {
            checkLevel(wanted);
        } catch (IllegalArgumentException e) {
            close();
            throw e;
        }
        this.level = wanted;
    }

    static PreemptLevel supportedLevel(XpuDevice device, HwQueue hw) {
        PreemptLevel byType = hw instanceof HwQueue.Interruptible ? PreemptLevel.INTERRUPT
                : hw instanceof HwQueue.Deactivatable ? PreemptLevel.DEACTIVATE : PreemptLevel.LAUNCH;
        return byType.number() < device.maxLevel().number() ? byType : device.maxLevel();
    }

    private void checkLevel(PreemptLevel wanted) {
        HwQueue h = hw;
        PreemptLevel max = h == null ? device.maxLevel() : supportedLevel(device, h);
        if (wanted.number() > max.number()) {
            throw new IllegalArgumentException("device " + device.id() + " supports preempt levels up to "
                    + max.number() + "; level " + wanted.number() + " is not available");
        }
    }

    @Override
    public long submit(HwCommand command) {
        Objects.requireNonNull(command, "command");
        HwQueue h = hw;
        if (h != null) {
            h.accept(command);
        }
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("queue " + id + " (" + name + ") is closed");
            }
            long seq = ++submitted;
            pending.add(command);
            if (state == QueueState.IDLE) {
                state = QueueState.READY;
                listener.edge(this);
            }
            work.signal();
            return seq;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Outcome await(long seq) throws InterruptedException {
        return awaitNanos(seq, Long.MAX_VALUE);
    }

    @Override
    public Outcome await(long seq, Duration timeout) throws InterruptedException, TimeoutException {
        Outcome outcome = awaitNanos(seq, timeout.toNanos());
        if (outcome == null) {
            throw new TimeoutException("command " + seq + " of queue " + id + " has not ended after " + timeout);
        }
        return outcome;
    }

    private Outcome awaitNanos(long seq, long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (seq < 1 || seq > submitted) {
                throw new IllegalArgumentException("queue " + id + " has no command " + seq + " (submitted: " + submitted + ")");
            }
            waiters++;
            if (book.outcome(seq) == null) {
                work.signal();
            }
            try {
                Outcome outcome;
                while ((outcome = book.outcome(seq)) == null) {
                    if (nanos == Long.MAX_VALUE) {
                        ended.await();
                    } else if (nanos <= 0) {
                        return null;
                    } else {
                        nanos = ended.awaitNanos(nanos);
                    }
                }
                return outcome;
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitAll() throws InterruptedException {
        long last;
        lock.lock();
        try {
            last = submitted;
        } finally {
            lock.unlock();
        }
        if (last > 0) {
            await(last);
        }
    }

    @Override
    public Outcome outcome(long seq) {
        lock.lock();
        try {
            return book.outcome(seq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Throwable failure(long seq) {
        lock.lock();
        try {
            return book.failure(seq);
        } finally {
            lock.unlock();
        }
    }

    /** Called by the worker, lock held, after commands ended. */
    void endedLocked() {
        if (pending.isEmpty() && inFlight == 0 && state == QueueState.READY) {
            state = QueueState.IDLE;
            listener.edge(this);
        }
        if (waiters > 0) {
            ended.signalAll();
        }
    }

    @Override
    public void suspend() {
        control.lock();
        try {
            PreemptLevel stopWith;
            HwQueue target;
            lock.lock();
            try {
                if (suspended || closing) {
                    return;
                }
                suspended = true;
                target = hw;
                stopWith = target == null ? PreemptLevel.LAUNCH : level;
                if (stopWith != PreemptLevel.LAUNCH) {
                    stopped = true;
                    stoppedWith = stopWith;
                    relaunchRequested = false;
                }
            } finally {
                lock.unlock();
            }
            switch (stopWith) {
                case INTERRUPT -> ((HwQueue.Interruptible) target).interrupt();
                case DEACTIVATE -> ((HwQueue.Deactivatable) target).deactivate();
                case LAUNCH -> { }
            }
        } finally {
            control.unlock();
        }
    }

    @Override
    public void resume() {
        resume(false);
    }

    @Override
    public void resume(boolean dropPending) {
        control.lock();
        try {
            lock.lock();
            try {
                if (dropPending) {
                    dropPendingLocked();
                }
                if (!suspended) {
                    return;
                }
                suspended = false;
                if (stopped) {
                    relaunchRequested = true;
                }
                work.signal();
            } finally {
                lock.unlock();
            }
        } finally {
            control.unlock();
        }
    }

    private void dropPendingLocked() {
        if (pending.isEmpty()) {
            return;
        }
        long first = nextLaunchSeq;
        long last = submitted;
        pending.clear();
        book.dropped(first, last);
        nextLaunchSeq = last + 1;
        endedLocked();
    }

    @Override
    public QueueState state() {
        return state;
    }

    @Override
    public boolean ready() {
        return state == QueueState.READY;
    }

    @Override
    public boolean suspended() {
        return suspended;
    }

    @Override
    public LaunchConfig launchConfig() {
        return config;
    }

    @Override
    public void launchConfig(LaunchConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        lock.lock();
        try {
            config = newConfig;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PreemptLevel level() {
        return level;
    }

    @Override
    public void level(PreemptLevel newLevel) {
        Objects.requireNonNull(newLevel, "level");
        checkLevel(newLevel);
        level = newLevel;
    }

    @Override
    public long submitted() {
        lock.lock();
        try {
            return submitted;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long finished() {
        lock.lock();
        try {
            return book.finished();
        } finally {
            lock.unlock();
        }
    }

    /** @return commands that ran to completion or failed (not dropped) */
    public long completed() {
        lock.lock();
        try {
            return book.completedCount();
        } finally {
            lock.unlock();
        }
    }

    /** @return launched commands not yet known complete */
    public int inFlight() {
        return inFlight;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                dropPendingLocked();
            }
        } finally {
            lock.unlock();
        }
        resumeForClose();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resumeForClose() {
        control.lock();
        try {
            lock.lock();
            try {
                if (suspended) {
                    suspended = false;
                    relaunchRequested = stopped;
                }
                work.signal();
            } finally {
                lock.unlock();
            }
        } finally {
            control.unlock();
        }
    }

    /**
     * The queue's backend is going away: the worker drains what it launched (or, if the queue is
     * deactivated, keeps the in-flight log), closes the hardware queue and waits for
     * {@link #attach}. Pending commands stay. Blocks until the worker has let go of the hardware
     * queue, at most {@code timeoutMillis}.
     *
     * @param reason why, for the runtime DTO
     * @return true if the worker let go in time
     */
    public boolean detach(String reason, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            if (hw == null || closing) {
                return true;
            }
            blockedReason = reason;
            detachRequested = true;
            work.signal();
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (hw != null && nanos > 0) {
                nanos = detached.awaitNanos(nanos);
            }
            return hw == null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A backend for this queue's device is (again) available: the worker opens a hardware queue on
     * it and carries on with what is pending, relaunching a deactivated in-flight log. Waits at
     * most {@code timeoutMillis} for the worker to have opened it.
     *
     * @param backend the backend
     * @param newDevice the device as that backend describes it (its level may differ)
     * @return true if the queue is attached
     */
    public boolean attach(Backend backend, XpuDevice newDevice, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            attachTo = backend;
            attachDevice = newDevice;
            work.signal();
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (hw == null && attachTo != null && nanos > 0) {
                nanos = detached.awaitNanos(nanos);
            }
            return hw != null;
        } finally {
            lock.unlock();
        }
    }

    /** Worker, lock held: the old hardware queue is closed. */
    void detachedLocked() {
        hw = null;
        detachRequested = false;
        detached.signalAll();
    }

    /** Worker, lock held: a new hardware queue is open. */
    void attachedLocked(HwQueue next, XpuDevice newDevice) {
        hw = next;
        device = newDevice;
        attachTo = null;
        attachDevice = null;
        blockedReason = null;
        detached.signalAll();
        PreemptLevel max = supportedLevel(newDevice, next);
        if (level.number() > max.number()) {
            level = max;
        }
        if (stopped && !suspended) {
            relaunchRequested = true;
        }
    }

    /** Worker, lock held: opening failed; stay detached. */
    void attachFailedLocked() {
        detached.signalAll();
    }

    /** @return why the queue cannot make progress, or null */
    public String blockedReason() {
        return blockedReason;
    }

    /** Called by the worker when it has finished. */
    void workerFinished() {
        listener.closed(this);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public XpuDevice device() {
        return device;
    }

    @Override
    public String deviceId() {
        return device.id();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String toString() {
        return "XQueue[" + id + " " + name + " on " + device.id() + "]";
    }
}
