package xsched.core.internal.queue;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;

/**
 * A queue's hardware queues over its life: the first one, opened on the launch worker; letting go
 * of one when its backend goes away (waiting for launched work, or keeping a stopped queue's
 * commands for the next backend); opening one on the next backend for the same device; closing
 * the last. Runs on the launch worker, which holds the launch token for every step here.
 */
final class BackendHandover {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandover.class);

    private final QueueStateMachine machine;
    private final Backend first;
    private final CompletableFuture<HwQueue> opened;

    BackendHandover(QueueStateMachine machine, Backend first, CompletableFuture<HwQueue> opened) {
        this.machine = machine;
        this.first = first;
        this.opened = opened;
    }

    /** @return the highest level both the device and the queue's type allow */
    static PreemptLevel supportedLevel(XpuDevice device, HwQueue hw) {
        PreemptLevel byType = hw instanceof HwQueue.Interruptible ? PreemptLevel.INTERRUPT
                : hw instanceof HwQueue.Deactivatable ? PreemptLevel.DEACTIVATE : PreemptLevel.LAUNCH;
        return byType.number() < device.maxLevel().number() ? byType : device.maxLevel();
    }

    /** Opens the first hardware queue; the queue's constructor waits for the result. */
    boolean openFirst() {
        HwQueue hw;
        try {
            hw = first.open(machine.device());
            if (hw == null) {
                throw new IllegalStateException("backend '" + first.platform() + "' opened no queue");
            }
        } catch (Throwable t) {
            opened.completeExceptionally(t);
            return false;
        }
        machine.opened(hw, supportedLevel(machine.device(), hw));
        opened.complete(hw);
        return true;
    }

    /** Lets go of the hardware queue; with {@code drain}, launched work ends first. */
    void detach(boolean drain, ProgressiveLauncher launcher) throws InterruptedException {
        HwQueue hw = machine.hw();
        try {
            letGo(hw, drain, launcher);
        } finally {
            close(hw);
            machine.attachments.detached();
        }
        LOG.info("{} detached from its backend", machine);
    }

    /**
     * Before the hardware queue is closed: with {@code drain}, waits for its launched work (a
     * {@link HwQueue.Holding} queue's held commands run first); without, a stopped queue's
     * commands stay in the window for the next hardware queue. Then drops every sync point.
     */
    private void letGo(HwQueue hw, boolean drain, ProgressiveLauncher launcher) throws InterruptedException {
        if (!drain && hw instanceof HwQueue.Holding holding) {
            // Its launched commands cannot move to the next hardware queue: they run here first.
            holding.reactivate(machine.steps.heldLog());
            machine.steps.reopenedForDetach();
            drain = true;
        }
        while (drain && !machine.steps.drained()) {
            if (!machine.steps.tailCovered()) {
                launcher.record(machine.steps.newestLaunched());
            }
            SyncSlot slot = machine.steps.oldestSlot();
            if (slot == null || !machine.steps.use(slot)) {
                continue;
            }
            boolean reached;
            try {
                reached = slot.point.await();
            } catch (Throwable t) {
                machine.steps.abandon(slot);
                throw t;
            }
            machine.steps.waited(slot, reached);
            if (!reached) {
                break;
            }
        }
        machine.steps.releaseSlots();
    }

    /**
     * Moves the queue to another partition of its device (or to the whole device) at a command
     * boundary: opens a hardware queue there first, so that a refusal leaves the queue where it
     * is; then lets go of the old one like a detach (a running queue's launched work completes
     * there; a stopped queue's commands move along and are relaunched on the new one when it runs)
     * and closes it. Nothing is lost and nothing runs twice.
     */
    void move(Attachments.Move target, ProgressiveLauncher launcher) throws InterruptedException {
        XpuDevice device = machine.device();
        String where = target.partition() == null ? device.id() : target.partition().name();
        HwQueue next;
        try {
            next = target.partition() == null ? target.backend().open(device)
                    : ((Backend.Partitioned) target.backend()).open(device, target.partition());
            if (next == null) {
                throw new IllegalStateException("backend '" + target.backend().platform() + "' opened no queue");
            }
        } catch (Throwable t) {
            LOG.warn("{} cannot move to {}: {}", machine, where, t.toString());
            machine.attachments.moveFailed("cannot move to " + where + ": " + t.getMessage());
            return;
        }
        HwQueue old = machine.hw();
        try {
            letGo(old, machine.steps.stoppedOnDevice() == null, launcher);
        } catch (Throwable t) {
            close(next);
            machine.attachments.moveFailed("moving to " + where + " failed: " + t);
            throw t;
        } finally {
            close(old);
        }
        PreemptLevel max = supportedLevel(device, next);
        PreemptLevel wanted = machine.wantedLevel == null ? max : machine.wantedLevel;
        machine.attachments.moved(next, target.partition(), wanted.number() > max.number() ? max : wanted);
        LOG.debug("{} moved to {}", machine, where);
    }

    /** Opens a hardware queue on the next backend; a failure leaves the queue detached. */
    void attach(Backend backend, XpuDevice device) {
        HwQueue next;
        try {
            next = backend.open(device);
            if (next == null) {
                throw new IllegalStateException("backend '" + backend.platform() + "' opened no queue");
            }
        } catch (Throwable t) {
            LOG.warn("{} cannot attach to {}: {}", machine, device.id(), t.toString());
            machine.attachments.attachFailed();
            return;
        }
        PreemptLevel max = supportedLevel(device, next);
        // a queue that asked for no level in particular gets the highest the new backend offers:
        // a backend upgraded in place raises its queues (e.g. from level 1 to 2)
        PreemptLevel wanted = machine.wantedLevel == null ? max : machine.wantedLevel;
        machine.attachments.attached(next, device, wanted.number() > max.number() ? max : wanted);
        LOG.info("{} attached to {} at Lv{} (up to Lv{})", machine, device.id(), machine.level().number(), max.number());
    }

    /** The worker ends: waits for what is launched unless the queue failed, and closes the hardware queue. */
    void closeHardware() {
        HwQueue hw = machine.hw();
        if (hw == null) {
            return;
        }
        if (!machine.failed()) {
            try {
                hw.synchronize();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                LOG.warn("synchronizing the hardware queue of {} failed", machine, t);
            }
        }
        close(hw);
    }

    private void close(HwQueue hw) {
        if (hw == null) {
            return;
        }
        try {
            hw.close();
        } catch (Throwable t) {
            LOG.warn("closing the hardware queue of {} failed", machine, t);
        }
    }
}
