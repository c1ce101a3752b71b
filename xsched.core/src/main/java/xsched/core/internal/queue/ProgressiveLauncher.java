package xsched.core.internal.queue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Progressive launching, as in the XSched paper: the queue's worker thread carries out the steps
 * its {@link QueueStateMachine} decides — launch while fewer than {@code threshold} commands are
 * unfinished, record a sync point every {@code batchSize} and behind the last, wait on the oldest
 * point when the window is full, relaunch after a deactivation, hand over between backends. It
 * owns no state. {@link #launch} and {@link #record} also serve the submitting and awaiting threads
 * of a {@linkplain HwQueue.FreeThreaded free-threaded} queue, which hold the launch token then.
 * Whatever a backend throws is contained here: a {@link RuntimeException} from a launch fails that
 * command, anything else fails the queue.
 */
final class ProgressiveLauncher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressiveLauncher.class);
    private static final long POLL_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long POLL_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final QueueStateMachine machine;
    private final BackendHandover handover;
    private long pollNanos = POLL_MIN_NANOS;

    ProgressiveLauncher(QueueStateMachine machine, BackendHandover handover) {
        this.machine = machine;
        this.handover = handover;
    }

    @Override
    public void run() {
        if (!handover.openFirst()) {
            return;
        }
        try {
            loop();
        } finally {
            handover.closeHardware();
            machine.lifecycle.workerDone();
        }
    }

    private void loop() {
        while (true) {
            LaunchStep step;
            try {
                step = machine.steps.nextStep();
            } catch (InterruptedException e) {
                machine.lifecycle.fail(new IllegalStateException(machine + ": its launch worker was interrupted"));
                continue;
            } catch (Throwable t) {
                machine.lifecycle.fail(t);
                continue;
            }
            if (step instanceof LaunchStep.Exit) {
                return;
            }
            try {
                execute(step);
            } catch (InterruptedException e) {
                machine.lifecycle.fail(new IllegalStateException(machine + ": its launch worker was interrupted"));
            } catch (Throwable t) {
                machine.lifecycle.fail(t);
            }
        }
    }

    private void execute(LaunchStep step) throws InterruptedException {
        switch (step) {
            case LaunchStep.Launch(HwCommand command, long seq, boolean recordAfter) -> {
                try {
                    launch(command, recordAfter ? seq : 0);
                } finally {
                    machine.releaseToken();
                }
            }
            case LaunchStep.Record() -> {
                try {
                    record(machine.steps.newestLaunched());
                } finally {
                    machine.releaseToken();
                }
            }
            case LaunchStep.Pause(long nanos) -> machine.steps.pause(nanos);
            case LaunchStep.AwaitOldest(SyncSlot slot, boolean block) -> awaitOldest(slot, block);
            case LaunchStep.Relaunch(PreemptLevel stoppedWith) -> relaunch(stoppedWith);
            case LaunchStep.Stop(PreemptLevel level) -> machine.preemption.stopHardware(level);
            case LaunchStep.Detach(boolean drain) -> handover.detach(drain, this);
            case LaunchStep.Attach attach -> handover.attach(attach.backend(), attach.device());
            case LaunchStep.Move(Attachments.Move target) -> handover.move(target, this);
            case LaunchStep.Exit() -> { }
        }
    }

    /**
     * Launches one command (the caller holds the token) and, when {@code recordThrough} is not 0,
     * records a sync point behind it.
     */
    void launch(HwCommand command, long recordThrough) {
        HwQueue hw = machine.hw();
        try {
            command.beforeLaunch();
            hw.launch(command);
        } catch (RuntimeException e) {
            LOG.debug("launch of {} on {} failed", command.describe(), machine, e);
            machine.steps.launchFailed(command, e);
        } catch (Throwable t) {
            machine.lifecycle.fail(t);
            return;
        }
        if (recordThrough != 0) {
            record(recordThrough);
        }
    }

    /** Records a sync point behind command {@code through} (the caller holds the token). */
    void record(long through) {
        if (through == 0) {
            return;
        }
        SyncPoint point;
        try {
            point = machine.hw().record();
        } catch (Throwable t) {
            machine.lifecycle.fail(t);
            return;
        }
        machine.steps.recorded(point, through);
    }

    private void awaitOldest(SyncSlot slot, boolean block) throws InterruptedException {
        if (!machine.steps.use(slot)) {
            return;
        }
        boolean reached;
        try {
            reached = block ? slot.point.await() : slot.point.reached();
        } catch (Throwable t) {
            machine.steps.abandon(slot);
            throw t;
        }
        if (reached || block) {
            machine.steps.waited(slot, reached);
            pollNanos = POLL_MIN_NANOS;
        } else {
            machine.steps.abandon(slot);
            machine.steps.nap(slot, pollNanos);
            pollNanos = Math.min(pollNanos * 2, POLL_MAX_NANOS);
        }
    }

    /** Hands the stopped commands back, oldest first; those the device reached before it stopped retire first. */
    private void relaunch(PreemptLevel stoppedWith) {
        LaunchStep again = null;
        try {
            SyncSlot slot;
            while ((slot = machine.steps.oldestSlot()) != null && slot.point.reached()) {
                machine.steps.retireIfReached(slot);
            }
            HwQueue hw = machine.hw();
            List<HwCommand> log = hw instanceof HwQueue.Holding ? machine.steps.heldLog() : machine.steps.relaunchLog();
            if (stoppedWith == PreemptLevel.INTERRUPT && hw instanceof HwQueue.Interruptible interruptible) {
                interruptible.restore(log);
            } else if (hw instanceof HwQueue.Deactivatable deactivatable) {
                deactivatable.reactivate(log);
            } else if (!log.isEmpty()) {
                LOG.warn("{}: its hardware queue cannot relaunch {} stopped command(s); they fail", machine, log.size());
                machine.steps.failLaunched(new IllegalStateException("its new hardware queue cannot relaunch a stopped command"));
            }
        } catch (Throwable t) {
            machine.lifecycle.fail(t);
        } finally {
            again = machine.steps.relaunched();
        }
        if (again instanceof LaunchStep.Stop(PreemptLevel level)) {
            machine.preemption.stopHardware(level);
        }
    }
}
