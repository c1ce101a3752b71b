package xsched.core.internal.queue;

import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * The hand-over transitions of a {@link QueueStateMachine}: a backend going away asks the worker to
 * let go of the hardware queue, a new one asks it to open one; both wait for the worker. Part of
 * the machine: it changes the machine's state under the machine's lock and nowhere else.
 */
final class Attachments {
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
            m.blockedReason = reason;
            if (m.attachment == Attachment.ATTACHED) {
                m.attachment = Attachment.DETACHING;
                m.work.signal();
            }
            while (m.attachment != Attachment.DETACHED && m.phase == Phase.OPEN && nanos > 0) {
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
            m.hw = next;
            m.device = newDevice;
            m.level = cappedLevel;
            m.attachment = Attachment.ATTACHED;
            m.attachTo = null;
            m.attachDevice = null;
            m.blockedReason = null;
            m.attachAttempts++;
            if (m.stop == DeviceStop.NONE && !m.window.isEmpty()) {
                m.window.failAll(m.book, new IllegalStateException("its backend went away before it completed"));
                m.endedLocked();
            }
            m.tokenTaken = false;
            m.handover.signalAll();
            m.work.signal();
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
}
