package xsched.core.internal.queue;

import xsched.api.PreemptLevel;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * What the application's own synchronizations tell the queue ({@link xsched.api.XQueue#launchedThrough},
 * {@link xsched.api.XQueue#completedThrough}), a transition group of {@link QueueStateMachine}: the
 * application takes a mark before it synchronizes the hardware queue's stream, and once the device
 * says the stream's work is done the commands through the mark end, without a question to the
 * device and on the application's thread. Only at level 1, where nothing launched is ever launched
 * again: at higher levels a preemption may cut a kernel short that still has to run, and the queue
 * finds out by its own sync points. Part of the machine: it changes the machine's state under the
 * machine's lock and nowhere else.
 */
final class ApplicationSyncs {
    private final QueueStateMachine m;

    ApplicationSyncs(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * @return the newest command whose launch has returned, the launches made through the direct lane
     *         counted first; -1 while a launch may be under way (the launch token stays out beyond a
     *         short spin), at levels other than 1, or once the queue is no longer open
     */
    long launchedThrough() {
        m.lock.lock();
        try {
            // the holder of the launch token is in a short hardware call as a rule (a launch, a record)
            if ((m.tokenTaken && !m.tokenFreedSoon()) || m.level != PreemptLevel.LAUNCH || m.phase != Phase.OPEN) {
                return -1;
            }
            m.direct.pullLocked();
            return m.nextLaunchSeq - 1;
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * The device finished every command launched through {@code seq}: at level 1 they end now, and
     * the queue goes IDLE when nothing else is left.
     *
     * @return whether the queue took it (false: it finds out by itself; also while the scheduler has
     *         not yet looked at the queue since it was told the queue turned READY)
     */
    boolean completedThrough(long seq) {
        if (seq < 0) {
            return false;
        }
        m.lock.lock();
        try {
            if (m.level != PreemptLevel.LAUNCH || (m.phase != Phase.OPEN && m.phase != Phase.CLOSING)) {
                return false;
            }
            if (m.ready && m.toldReady && !m.seenReady) {
                // the scheduler was told this READY period began and has not looked at the queue yet:
                // ending it here would hide it from the scheduler (and, through the node daemon, from
                // the policy that anticipates the queue's jobs); the queue ends it by its own sync point
                return false;
            }
            m.appSyncs = true;
            if (!m.window.isEmpty() && m.window.oldestSeq() <= seq) {
                boolean draining = m.drainingLocked();
                Error error = m.window.retireLaunchedThrough(Math.min(seq, m.window.newestSeq()), m.book);
                m.endedAfterRetireLocked(draining);
                if (error != null) {
                    m.lifecycle.failLocked(error);
                }
            }
            return true;
        } finally {
            m.lock.unlock();
        }
    }
}
