package xsched.core.internal.queue;

import xsched.core.engine.ScheduledQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import xsched.api.DirectLane;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * The XQueue: progressive launching in front of one hardware queue. Its state lives in a {@link
 * QueueStateMachine}; a {@link ProgressiveLauncher} on the queue's own worker thread carries out
 * what the machine decides. On a {@linkplain HwQueue.FreeThreaded free-threaded} hardware queue a
 * command that may run at once is launched from the submitting thread and a thread awaiting a
 * command waits on its sync point itself, so neither pays a hand-off to the worker.
 *
 * <p>The scheduler sees the queue through {@link #scheduled()}: there suspending only stops
 * launching and hands a deactivation or interruption to the runtime's preemption executor, so the
 * scheduler thread never waits on a device. {@link #suspend()} here returns once the device has
 * stopped.
 */
public final class ProgressiveQueue implements XQueue {
    private final long id;
    private final String name;
    private final long pid;
    private final QueueStateMachine machine;
    private final ProgressiveLauncher launcher;
    private final Thread worker;
    private final Executor preemption;
    private final QueueListener listener;
    private final ScheduledQueue scheduled = new Scheduled();
    private final CompletionWaits.SyncWaits direct;

    /**
     * Opens the hardware queue on a new launch worker and waits until it is open.
     *
     * @param preemption where deactivations the scheduler asks for run
     * @throws IllegalArgumentException when the level is above what the device or its queue supports
     * @throws IllegalStateException    when the backend cannot open a queue
     */
    public ProgressiveQueue(long id, long pid, XpuDevice device, Backend backend, QueueOptions options, QueueListener listener,
            Executor preemption) {
        this.id = id;
        this.name = options.name().isEmpty() ? "q" + id : options.name();
        this.pid = pid;
        this.preemption = preemption;
        this.listener = listener;
        this.machine = new QueueStateMachine("XQueue[" + id + " " + name + "]", device, options.launch(), options.maxPending(),
                () -> listener.edge(scheduled), () -> listener.closed(scheduled), listener);
        CompletableFuture<HwQueue> opened = new CompletableFuture<>();
        this.launcher = new ProgressiveLauncher(machine, new BackendHandover(machine, backend, opened));
        this.direct = new CompletionWaits.SyncWaits() {
            @Override
            public boolean await(SyncPoint point) throws InterruptedException {
                return point.await();
            }

            @Override
            public void record(long through) {
                try {
                    launcher.record(through);
                } finally {
                    machine.releaseToken();
                }
            }
        };
        this.worker = Thread.ofPlatform().daemon().name("xsched-launch-" + id).unstarted(launcher);
        worker.start();
        HwQueue hw;
        try {
            hw = opened.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot open a queue on " + device.id() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening a queue on " + device.id(), e);
        }
        PreemptLevel supported = BackendHandover.supportedLevel(device, hw);
        PreemptLevel wanted = options.level().orElse(supported);
        if (wanted.number() > supported.number()) {
            close();
            throw levelError(wanted, supported);
        }
        machine.level(wanted);
        machine.wantLevel(options.level().orElse(null));
    }

    private IllegalArgumentException levelError(PreemptLevel wanted, PreemptLevel max) {
        return new IllegalArgumentException("device " + device().id() + " supports preempt levels up to " + max.number()
                + "; level " + wanted.number() + " is not available");
    }

    /** @return the side of the queue the scheduler engine drives */
    public ScheduledQueue scheduled() {
        return scheduled;
    }

    @Override
    public long submit(HwCommand command) {
        try {
            return enter(command, Long.MAX_VALUE).getAsLong();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + machine + " was full; the command was not submitted", e);
        }
    }

    @Override
    public OptionalLong offer(HwCommand command, Duration timeout) throws InterruptedException {
        return enter(command, Math.max(0, timeout.toNanos()));
    }

    private OptionalLong enter(HwCommand command, long nanos) throws InterruptedException {
        Objects.requireNonNull(command, "command");
        check(command);
        Admission.Admitted admitted = machine.admission.admit(command, nanos);
        if (admitted == null) {
            return OptionalLong.empty();
        }
        if (admitted.launchNow()) {
            try {
                launcher.launch(command, admitted.recordAfter() ? admitted.seq() : 0);
            } finally {
                machine.releaseToken();
                if (admitted.tellReady()) {
                    machine.edge.run();
                }
            }
        }
        return OptionalLong.of(admitted.seq());
    }

    /** The backend's submit-time check; a backend that breaks here fails the queue, not the caller's thread. */
    private void check(HwCommand command) {
        HwQueue hw = machine.hw();
        if (hw == null) {
            return;
        }
        try {
            hw.accept(command);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the backend refused " + command.describe() + ": " + e, e);
        } catch (Throwable t) {
            machine.lifecycle.fail(t);
            throw new IllegalStateException(machine + " failed: " + t, t);
        }
    }

    @Override
    public Outcome await(long seq) throws InterruptedException {
        return machine.waits.await(seq, Long.MAX_VALUE, direct);
    }

    @Override
    public Outcome await(long seq, Duration timeout) throws InterruptedException, TimeoutException {
        Outcome outcome = machine.waits.await(seq, Math.max(0, timeout.toNanos()), direct);
        if (outcome == null) {
            throw new TimeoutException("command " + seq + " of queue " + id + " has not ended after " + timeout);
        }
        return outcome;
    }

    @Override
    public void awaitAll() throws InterruptedException {
        long last = machine.submitted();
        if (last > 0) {
            await(last);
        }
    }

    @Override
    public Outcome outcome(long seq) {
        return machine.outcome(seq);
    }

    @Override
    public Throwable failure(long seq) {
        return machine.failure(seq);
    }

    @Override
    public void suspend() {
        PreemptLevel stopWith = machine.preemption.suspend();
        if (stopWith != null) {
            machine.preemption.stopHardware(stopWith);
        } else {
            machine.preemption.awaitStopped();
        }
    }

    @Override
    public void resume(boolean dropPending) {
        machine.preemption.resume(dropPending);
    }

    @Override
    public QueueState state() {
        return machine.ready() ? QueueState.READY : QueueState.IDLE;
    }

    @Override
    public long readySinceNanos() {
        return machine.readySinceNanos;
    }

    @Override
    public long idleSinceNanos() {
        return machine.idleSinceNanos;
    }

    @Override
    public long drainedSinceNanos() {
        return machine.drainedSinceNanos;
    }

    @Override
    public boolean suspended() {
        return machine.suspended();
    }

    @Override
    public LaunchConfig launchConfig() {
        return machine.config();
    }

    @Override
    public void launchConfig(LaunchConfig config) {
        machine.config(Objects.requireNonNull(config, "config"));
    }

    @Override
    public PreemptLevel level() {
        return machine.level();
    }

    @Override
    public void level(PreemptLevel level) {
        Objects.requireNonNull(level, "level");
        HwQueue hw = machine.hw();
        PreemptLevel max = hw == null ? device().maxLevel() : BackendHandover.supportedLevel(device(), hw);
        if (level.number() > max.number()) {
            throw levelError(level, max);
        }
        machine.wantLevel(level);
        machine.level(level);
    }

    @Override
    public boolean directLane(DirectLane lane) {
        machine.direct.lane(lane);
        return true;
    }

    @Override
    public long launchedThrough() {
        return machine.syncs.launchedThrough();
    }

    @Override
    public boolean completedThrough(long seq) {
        return machine.syncs.completedThrough(seq);
    }

    /** @return how many launches the application made through its direct lanes */
    public long directLaunches() {
        return machine.direct.made();
    }

    @Override
    public long submitted() {
        return machine.submitted();
    }

    @Override
    public long finished() {
        return machine.ended();
    }

    /** @return a consistent view of the queue's state for listings */
    public QueueView view() {
        return machine.view();
    }

    /** @return the most commands that may wait to be launched */
    public int maxPending() {
        return machine.maxPending();
    }

    /** @return why the queue cannot make progress (waiting for a backend), or null */
    public String blockedReason() {
        return machine.blockedReason();
    }

    /**
     * Closes the queue and waits until its launched work has ended and its hardware queue is
     * closed. From the queue's own worker, or from a thread that runs commands of its hardware
     * queue (a host device's engine), it does not wait: the worker finishes on its own. A failed
     * queue closes at once, without waiting for hardware that may never answer.
     */
    @Override
    public void close() {
        machine.lifecycle.close();
        Thread me = Thread.currentThread();
        if (me == worker || (machine.hw() instanceof HwQueue.CommandThreads threads && threads.runsCommandsOn(me))) {
            return;
        }
        machine.lifecycle.awaitClosed();
    }

    /**
     * The queue's backend is going away: the worker waits for launched work (a stopped queue keeps
     * it for the next backend), closes the hardware queue and waits for {@link #attach}. Pending
     * commands stay.
     *
     * @return true if the worker let go within {@code timeoutMillis}
     */
    public boolean detach(String reason, long timeoutMillis) throws InterruptedException {
        return machine.attachments.requestDetach(reason, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /**
     * A backend for this queue's device is available: the worker opens a hardware queue on it and
     * carries on, relaunching a stopped queue's commands when it runs.
     *
     * @return true if attached within {@code timeoutMillis}
     */
    public boolean attach(Backend backend, XpuDevice newDevice, long timeoutMillis) throws InterruptedException {
        return machine.attachments.requestAttach(backend, newDevice, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /**
     * Asks the worker to move the queue to a partition of its device, or to the whole device, at
     * its next command boundary; returns at once. Launched work completes where it was launched (a
     * stopped queue's commands move along); pending commands are launched on the target.
     *
     * @param backend   the backend of the queue's device
     * @param partition a side of an open split made by {@code backend} (which is then {@link
     *                  Backend.Partitioned}), or null for the whole device
     * @return false when the queue cannot move now (waiting for a backend, closing, failed)
     */
    public boolean place(Backend backend, DevicePartition partition) {
        return machine.attachments.requestMove(backend, partition);
    }

    /**
     * Waits until no move is asked for or under way.
     *
     * @return true if settled within {@code timeoutMillis}
     */
    public boolean awaitPlaced(long timeoutMillis) throws InterruptedException {
        return machine.attachments.awaitSettled(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /** @return the partition its hardware queue runs on, or null for the whole device */
    public DevicePartition partition() {
        return machine.partition;
    }

    /**
     * @param partitions partitions (of one split)
     * @return whether the queue runs on one of them, or is asked to move or moving onto one (read at one moment)
     */
    public boolean uses(java.util.Set<DevicePartition> partitions) {
        return machine.locked(() -> {
            Attachments.Move move = machine.moveTo != null ? machine.moveTo
                    : machine.attachment == QueueStateMachine.Attachment.MOVING ? machine.moving : null;
            DevicePartition on = machine.partition;
            DevicePartition to = move == null ? null : move.partition();
            // null is the whole device, in no set (and Set.of refuses to be asked about it)
            return on != null && partitions.contains(on) || to != null && partitions.contains(to);
        });
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
        return machine.device();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String toString() {
        return machine.toString();
    }

    /** What the scheduler engine drives: requests that never wait on a device. */
    private final class Scheduled implements ScheduledQueue {
        @Override
        public long uid() {
            return OwnProcess.UID;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String deviceId() {
            return device().id();
        }

        @Override
        public long pid() {
            return pid;
        }

        /** Marks the queue seen first: then its turning IDLE is told, whatever this read returns (see seenReady). */
        @Override
        public boolean ready() {
            machine.seenReady = true;
            return machine.ready();
        }

        @Override
        public long readySinceNanos() {
            return machine.readySinceNanos;
        }

        @Override
        public long idleSinceNanos() {
            return machine.idleSinceNanos;
        }

        @Override
        public long drainedSinceNanos() {
            return machine.drainedSinceNanos;
        }

        @Override
        public boolean suspended() {
            return machine.suspended();
        }

        @Override
        public void suspend() {
            PreemptLevel stopWith = machine.preemption.suspend();
            if (stopWith == null) {
                return;
            }
            try {
                preemption.execute(() -> machine.preemption.stopHardware(stopWith));
            } catch (RejectedExecutionException e) {
                Thread.ofPlatform().daemon().name("xsched-preempt-" + id).start(() -> machine.preemption.stopHardware(stopWith));
            }
        }

        @Override
        public void resume() {
            machine.preemption.resume(false);
        }
    }
}
