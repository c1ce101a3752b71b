package xsched.core.internal.queue;

import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.spi.hal.HwQueue;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * Suspending and resuming, a transition group of {@link QueueStateMachine}: a suspension stops
 * launching at once; at level 2 or 3 it also stops the hardware queue (NONE → STOPPING → STOPPED),
 * which the caller does on a thread of its choosing; resuming never blocks and leaves the relaunch
 * to the worker. Part of the machine: it changes the machine's state under the machine's lock and
 * nowhere else.
 */
final class Preemption {
    private final QueueStateMachine m;

    Preemption(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * Suspends: nothing more is launched. At level 2 or 3 on a hardware queue that can, the device
     * must also be stopped: the returned level says how, and the caller must then call {@link
     * #stopHardware} with it (on any thread but the scheduler's).
     *
     * @return the level to stop the hardware queue at, or null when nothing more is to be done
     */
    PreemptLevel suspend() {
        m.lock.lock();
        try {
            if (m.suspended || m.phase != Phase.OPEN) {
                return null;
            }
            m.suspended = true;
            m.direct.closeLocked();
            m.direct.unstretchLocked(); // resumed, it starts again from the configured window
            if (m.window.isEmpty()) {
                m.drainedLocked(); // nothing of it on the device to wait for
            }
            return beginStopLocked();
        } finally {
            m.lock.unlock();
        }
    }

    PreemptLevel beginStopLocked() {
        PreemptLevel l = m.level;
        HwQueue h = m.hw;
        if (m.stop != DeviceStop.NONE || m.attachment != Attachment.ATTACHED || l == PreemptLevel.LAUNCH
                || !(h instanceof HwQueue.Deactivatable)) {
            return null;
        }
        if (l == PreemptLevel.INTERRUPT && !(h instanceof HwQueue.Interruptible)) {
            l = PreemptLevel.DEACTIVATE;
        }
        m.stop = DeviceStop.STOPPING;
        m.stoppedWith = l;
        return l;
    }

    /** Deactivates or interrupts the hardware queue, then records that it is stopped. */
    void stopHardware(PreemptLevel with) {
        HwQueue h = m.hw;
        try {
            if (with == PreemptLevel.INTERRUPT) {
                ((HwQueue.Interruptible) h).interrupt();
            } else {
                ((HwQueue.Deactivatable) h).deactivate();
            }
        } catch (Throwable t) {
            m.lifecycle.fail(t);
        } finally {
            m.lock.lock();
            try {
                if (m.stop == DeviceStop.STOPPING) {
                    m.stop = DeviceStop.STOPPED;
                    if (m.drainingLocked()) {
                        m.drainedLocked(); // what it launched is held back; nothing of it runs any more
                    }
                }
                m.work.signal();
                m.ended.signalAll();
            } finally {
                m.lock.unlock();
            }
        }
    }

    /** Waits until no deactivation of this queue is in progress. */
    void awaitStopped() {
        m.lock.lock();
        try {
            while (m.stop == DeviceStop.STOPPING) {
                m.ended.awaitUninterruptibly();
            }
        } finally {
            m.lock.unlock();
        }
    }

    /** Resumes; with {@code dropPending} what was never launched is dropped first. Never blocks. */
    void resume(boolean dropPending) {
        m.lock.lock();
        try {
            if (dropPending) {
                m.endPendingLocked(Outcome.DROPPED, null);
            }
            if (m.suspended && m.phase == Phase.OPEN) {
                m.suspended = false;
                m.work.signal();
            }
        } finally {
            m.lock.unlock();
        }
    }
}
