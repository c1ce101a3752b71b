package xsched.core.internal.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Outcome;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * Failure and close, a transition group of {@link QueueStateMachine}: a queue whose hardware
 * queue or worker breaks becomes FAILED and every open command fails with the reason; closing
 * drains launched work (OPEN → CLOSING → CLOSED when the worker is done), while a failed queue
 * closes at once. Part of the machine: it changes the machine's state under the machine's lock
 * and nowhere else.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final QueueStateMachine m;

    Lifecycle(QueueStateMachine machine) {
        this.m = machine;
    }

    /** The hardware queue or the worker broke: every command not yet ended fails with the reason. */
    void fail(Throwable reason) {
        m.locked(() -> failLocked(reason));
    }

    void failLocked(Throwable reason) {
        if (m.phase == Phase.FAILED || m.phase == Phase.CLOSED) {
            return;
        }
        LOG.error("{} failed; its commands fail with the reason", m.label, reason);
        m.direct.closeLocked(); // what was made through it fails with the rest
        m.phase = Phase.FAILED;
        m.failure = reason;
        m.suspended = false;
        m.endPendingLocked(Outcome.FAILED, reason);
        m.window.failAll(m.book, reason);
        m.endedLocked();
        m.work.signalAll();
        m.ended.signalAll();
        m.room.signalAll();
        m.handover.signalAll();
    }

    /**
     * Starts closing: what was never launched is dropped, a suspended queue resumes so that its
     * launched work ends. A failed queue is closed at once: its hardware may never answer again.
     *
     */
    void close() {
        m.lock.lock();
        try {
            m.closeRequested = true;
            switch (m.phase) {
                case OPEN -> {
                    m.direct.closeLocked();
                    m.phase = Phase.CLOSING;
                    m.endPendingLocked(Outcome.DROPPED, null);
                    m.suspended = false;
                }
                case FAILED -> {
                    closedLocked();
                    return;
                }
                default -> { }
            }
            m.work.signalAll();
            m.room.signalAll();
            m.handover.signalAll();
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * Waits while a closing queue's worker drains it. A queue that fails meanwhile is closed at once.
     *
     */
    void awaitClosed() {
        m.lock.lock();
        try {
            while (m.phase == Phase.CLOSING) {
                m.ended.awaitUninterruptibly();
            }
            if (m.phase == Phase.FAILED) {
                closedLocked();
            }
        } finally {
            m.lock.unlock();
        }
    }

    private void closedLocked() {
        m.phase = Phase.CLOSED;
        if (m.ready) {
            m.idleSinceNanos = System.nanoTime();
            m.ready = false;
            m.readiness.turnedIdle();
        }
        m.ended.signalAll();
        m.handover.signalAll();
        m.room.signalAll();
        m.work.signalAll();
        if (!m.closeReported) {
            m.closeReported = true;
            m.closed.run();
        }
    }

    /**
     * The worker ended. Launched commands a closing queue still holds (kept for a backend that
     * never came) fail.
     */
    void workerDone() {
        m.lock.lock();
        try {
            m.tokenTaken = false;
            if (!m.window.isEmpty()) {
                m.window.failAll(m.book, new IllegalStateException(m.label + " closed before its backend came back"));
                m.endedLocked();
            }
            if (m.phase == Phase.CLOSING || (m.phase == Phase.FAILED && m.closeRequested)) {
                closedLocked();
            }
        } finally {
            m.lock.unlock();
        }
    }
}
