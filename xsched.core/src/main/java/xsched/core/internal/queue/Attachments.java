package xsched.core.internal.queue;

import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.HwQueue;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * The hand-over transitions of a {@link QueueStateMachine}: a backend going away asks the worker to
 * let go of the hardware queue, a new one asks it to open one; both wait for the worker. A move to
 * another partition of the device is the two in one step of the worker, asked for without waiting.
 * Part of the machine: it changes the machine's state under the machine's lock and nowhere else.
 */
final class Attachments {
    /** A move asked for: to {@code partition} of {@code backend}, or to its whole device when null. */
    record Move(Backend backend, DevicePartition partition) {
    }

    private final QueueStateMachine m;

    Attachments(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * Asks the worker to let go of the hardware queue and waits until it has, at most {@code nanos}.
     *
     * @return true once detached (or nothing to detach)
     */
    boolean requestDetach(String reason, long nanos) throws InterruptedException {
        m.lock.lock();
        try {
            if (m.attachment == Attachment.DETACHED || m.phase != Phase.OPEN) {
                return true;
            }
            m.direct.closeLocked();
            m.blockedReason = reason;
            m.moveTo = null;
            while (m.attachment != Attachment.DETACHED && m.phase == Phase.OPEN && nanos > 0) {
                // a move under way ends first (ATTACHED again), then the queue lets go
                if (m.attachment == Attachment.ATTACHED) {
                    m.direct.closeLocked(); // a launch at once after a move may have opened it again
                    m.attachment = Attachment.DETACHING;
                    m.work.signal();
                }
                nanos = m.handover.awaitNanos(nanos);
            }
            return m.attachment == Attachment.DETACHED || m.phase != Phase.OPEN;
        } finally {
            m.lock.unlock();
        }
    }

    /** The worker let go of the hardware queue. */
    void detached() {
        m.lock.lock();
        try {
            m.hw = null;
            m.partition = null;
            m.attachment = Attachment.DETACHED;
            m.tokenTaken = false;
            m.handover.signalAll();
            m.work.signal();
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Asks the worker to open a hardware queue on {@code backend}, waits at most {@code nanos}.
     *
     * @return true once attached
     */
    boolean requestAttach(Backend backend, XpuDevice newDevice, long nanos) throws InterruptedException {
        m.lock.lock();
        try {
            if (m.attachment != Attachment.DETACHED || m.phase != Phase.OPEN) {
                return m.attachment == Attachment.ATTACHED;
            }
            m.attachment = Attachment.ATTACHING;
            m.attachTo = backend;
            m.attachDevice = newDevice;
            long attempt = ++m.attachAttempts;
            m.work.signal();
            while (m.attachment == Attachment.ATTACHING && m.attachAttempts == attempt && m.phase == Phase.OPEN && nanos > 0) {
                nanos = m.handover.awaitNanos(nanos);
            }
            return m.attachment == Attachment.ATTACHED;
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * The worker opened {@code next}. Launched commands kept from a running queue cannot be
     * relaunched and fail; those of a stopped queue are relaunched when it runs.
     */
    void attached(HwQueue next, XpuDevice newDevice, PreemptLevel cappedLevel) {
        m.lock.lock();
        try {
            m.device = newDevice;
            m.attachTo = null;
            m.attachDevice = null;
            m.blockedReason = null;
            m.attachAttempts++;
            runOnLocked(next, null, cappedLevel, "its backend went away before it completed");
        } finally {
            m.lock.unlock();
        }
    }

    /** Opening a hardware queue on the new backend failed: stay detached. */
    void attachFailed() {
        m.lock.lock();
        try {
            m.attachment = Attachment.DETACHED;
            m.attachTo = null;
            m.attachDevice = null;
            m.attachAttempts++;
            m.tokenTaken = false;
            m.handover.signalAll();
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Asks the worker to move the queue to another partition of its device ({@code partition} null:
     * the whole device) at its next command boundary. Never waits; a later request replaces one not
     * yet carried out.
     *
     * @return false when the queue cannot move now: it is not attached to a backend, or closing
     */
    boolean requestMove(Backend backend, DevicePartition partition) {
        m.lock.lock();
        try {
            if (m.phase != Phase.OPEN || (m.attachment != Attachment.ATTACHED && m.attachment != Attachment.MOVING)) {
                return false;
            }
            boolean there = m.attachment == Attachment.ATTACHED && m.partition == partition;
            if (!there) {
                m.direct.closeLocked();
            }
            m.moveTo = there ? null : new Move(backend, partition);
            m.moveFailure = null;
            m.work.signal();
            return true;
        } finally {
            m.lock.unlock();
        }
    }

    /** Lock held, in the worker's decision: the move asked for is under way, or null when none is. */
    Move beginMoveLocked() {
        Move move = m.moveTo;
        if (move == null || m.phase != Phase.OPEN || m.attachment != Attachment.ATTACHED || m.stop == DeviceStop.STOPPING) {
            return null;
        }
        m.moveTo = null;
        m.moving = move;
        m.attachment = Attachment.MOVING;
        return move;
    }

    /**
     * The worker opened {@code next} on the target and let go of the old hardware queue: its launched
     * commands completed, or (a stopped queue) they move along and are relaunched when it runs.
     */
    void moved(HwQueue next, DevicePartition partition, PreemptLevel cappedLevel) {
        m.lock.lock();
        try {
            runOnLocked(next, partition, cappedLevel, "its launched work could not follow it to another partition");
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Lock held: the queue runs on {@code next} from now on. Launched commands kept from a running
     * queue cannot be relaunched and fail with {@code lost}; those of a stopped queue are
     * relaunched when it runs.
     */
    private void runOnLocked(HwQueue next, DevicePartition partition, PreemptLevel cappedLevel, String lost) {
        m.hw = next;
        m.partition = partition;
        if (m.level != cappedLevel) {
            m.direct.unstretchLocked(); // as a level set by the application does
        }
        m.level = cappedLevel;
        m.attachment = Attachment.ATTACHED;
        m.moving = null;
        if (m.stop == DeviceStop.NONE && !m.window.isEmpty()) {
            m.window.failAll(m.book, new IllegalStateException(lost));
            m.endedLocked();
        }
        m.tokenTaken = false;
        m.handover.signalAll();
        m.work.signal();
    }

    /** Opening a hardware queue on the target failed: the queue stays where it is, nothing lost. */
    void moveFailed(String reason) {
        m.lock.lock();
        try {
            m.attachment = Attachment.ATTACHED;
            m.moving = null;
            m.moveFailure = reason;
            m.tokenTaken = false;
            m.handover.signalAll();
            m.work.signal();
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Waits until no move is asked for or under way, at most {@code nanos}.
     *
     * @return true once settled (moved, failed to, or the queue let go of its backend or closed)
     */
    boolean awaitSettled(long nanos) throws InterruptedException {
        m.lock.lock();
        try {
            while ((m.moveTo != null || m.attachment == Attachment.MOVING) && m.phase == Phase.OPEN && nanos > 0) {
                nanos = m.handover.awaitNanos(nanos);
            }
            return (m.moveTo == null && m.attachment != Attachment.MOVING) || m.phase != Phase.OPEN;
        } finally {
            m.lock.unlock();
        }
    }
}
