package xsched.core.internal.queue;

import xsched.api.Outcome;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * Waiting for a command, a transition group of {@link QueueStateMachine}: on a free-threaded
 * hardware queue the waiting thread waits on the sync point behind the command itself (recording
 * one when none stands there); otherwise it waits to be told by whoever retires the command. Part
 * of the machine: it changes the machine's state under the machine's lock and nowhere else.
 */
final class CompletionWaits {
    private final QueueStateMachine m;

    CompletionWaits(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * Waits for command {@code seq}. When the hardware queue allows it and the command was launched,
     * a thread looks at the sync point behind the command itself (recording one if none stands
     * there): a wait without limit waits on the point; a wait with a limit only asks once whether
     * the point was reached, which never blocks on the device. Otherwise it waits to be told by
     * whoever retires the command.
     *
     * @return the outcome, or null when {@code nanos} ran out
     */
    Outcome await(long seq, long nanos, SyncWaits direct) throws InterruptedException {
        m.lock.lock();
        try {
            m.checkSeq(seq);
            Outcome outcome;
            boolean unlimited = nanos == Long.MAX_VALUE;
            boolean asked = false;
            while ((outcome = m.book.outcome(seq)) == null) {
                if ((unlimited || !asked) && seq < m.nextLaunchSeq && m.stop == DeviceStop.NONE
                        && m.attachment == Attachment.ATTACHED && m.phase != Phase.FAILED && m.hw instanceof HwQueue.FreeThreaded) {
                    SyncSlot slot = m.window.slotCovering(seq);
                    if (slot != null) {
                        if (unlimited) {
                            waitOn(slot, direct);
                        } else {
                            asked = true;
                            m.askLocked(slot);
                        }
                        continue;
                    }
                    if (m.tokenTaken && m.tokenFreedSoon()) {
                        continue;
                    }
                    if (!m.tokenTaken) {
                        m.tokenTaken = true;
                        long through = m.window.newestSeq();
                        m.lock.unlock();
                        try {
                            direct.record(through);
                        } finally {
                            m.lock.lock();
                        }
                        continue;
                    }
                }
                if (++m.waiters == 1) {
                    m.work.signal();
                }
                try {
                    if (nanos == Long.MAX_VALUE) {
                        m.ended.await();
                    } else if (nanos <= 0) {
                        return null;
                    } else {
                        nanos = m.ended.awaitNanos(nanos);
                    }
                } finally {
                    m.waiters--;
                }
            }
            return outcome;
        } finally {
            m.lock.unlock();
        }
    }

    /** Lock held: waits on a slot's point with the lock released, then retires through it. */
    private void waitOn(SyncSlot slot, SyncWaits direct) throws InterruptedException {
        m.useLocked(slot);
        boolean reached;
        m.lock.unlock();
        try {
            reached = direct.await(slot.point);
        } catch (InterruptedException e) {
            m.lock.lock();
            m.releaseLocked(slot);
            throw e;
        } catch (Throwable t) {
            m.lock.lock();
            m.releaseLocked(slot);
            m.lifecycle.failLocked(t);
            return;
        }
        m.lock.lock();
        m.releaseLocked(slot);
        m.afterWaitLocked(slot, reached);
    }

    /** How a thread that is not the worker waits on a sync point, and records one. */
    interface SyncWaits {
        boolean await(SyncPoint point) throws InterruptedException;

        /** Records a sync point behind {@code through}; the token is taken and must be released. */
        void record(long through);
    }
}
