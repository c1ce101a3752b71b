package xsched.core.internal.queue;

import xsched.api.LaunchConfig;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.core.internal.queue.QueueStateMachine.Attachment;
import xsched.core.internal.queue.QueueStateMachine.DeviceStop;
import xsched.core.internal.queue.QueueStateMachine.Phase;

/**
 * Submission, a transition group of {@link QueueStateMachine}: a command is let in, launched by
 * the submitting thread when it may run at once, else left for the worker. Part of the machine: it
 * changes the machine's state under the machine's lock and nowhere else.
 */
final class Admission {
    /**
     * A submission let in: launch it now from the calling thread when {@code launchNow}; then, when
     * {@code tellReady}, tell the queue's READY edge ({@link QueueStateMachine#edge}), which the
     * caller's launch goes before: the device starts the work a scheduler wake-up or a daemon frame
     * sooner, and the scheduler learns of the edge that much later (one launch: microseconds, more
     * for a first launch that loads a module). The engine reads the queue's state when it handles
     * the edge, so what it decides is the same; an IDLE edge told before the READY one finds the
     * queue as it is, too.
     */
    record Admitted(long seq, boolean launchNow, boolean recordAfter, boolean tellReady) {
    }

    private final QueueStateMachine m;

    Admission(QueueStateMachine machine) {
        this.m = machine;
    }

    /**
     * Takes a command in: launched by the caller at once when the queue runs, the hardware queue
     * may be driven from any thread, the token is free, nothing is pending and the window has room
     * (a full window first retires through its oldest sync point when the device has reached it
     * and commands stay launched behind it);
     * otherwise buffered for the worker. Waits for room while {@code maxPending} are pending.
     *
     * @param nanos how long to wait for room; {@code Long.MAX_VALUE} waits as long as it takes
     * @return the admission, or null when the queue stayed full
     * @throws IllegalStateException when the queue is closed or failed
     */
    Admitted admit(HwCommand command, long nanos) throws InterruptedException {
        boolean becameReady = false;
        m.lock.lock();
        try {
            // the launches made through the lane come before this command
            int made = m.direct.closeLocked();
            int setBacks = m.direct.setBacks(); // the waits below release the lock
            if (m.tokenTaken && mayLaunchFromCaller()) {
                m.tokenFreedSoon();
            }
            if (frontDoorOpen() && m.window.hasSlots() && m.window.oldestSlot().through < m.window.newestSeq()) {
                // what the device already finished makes room here, not through the worker; never
                // all of it, which would make the queue IDLE under a submission
                int threshold = m.thresholdLocked();
                if (m.window.size() >= threshold) {
                    m.askLocked(m.window.oldestSlot()); // a full window
                } else if (m.direct.wouldOpen() && (m.window.size() >= threshold / 2 || m.window.size() > made && made > 0)) {
                    // the lane this launch opens would get less than half the window, or the lane's
                    // launches came back: one question for the newest point behind the tail (the
                    // device is usually past it) lets it open for half, so the application comes up
                    // half as often, and tells whether the device kept up with the lane
                    m.askLocked(m.window.newestSlotBefore(m.window.newestSeq()));
                }
            }
            if (m.direct.wouldOpen() && frontDoorOpen() && m.direct.setBacks() == setBacks) {
                // not after a setting back meanwhile: what the lane made was made in the window before it
                m.direct.cameBackLocked(made);
            }
            while (m.phase == Phase.OPEN && m.pending.size() >= m.maxPending) {
                if (nanos == Long.MAX_VALUE) {
                    m.room.await();
                } else if (nanos <= 0) {
                    return null;
                } else {
                    nanos = m.room.awaitNanos(nanos);
                }
            }
            requireOpen();
            // the waits above released the lock: another submitter may have opened the lane since
            m.direct.closeLocked();
            long seq = ++m.submitted;
            if (!m.ready) {
                // the time first: whoever sees the queue READY sees this period's time
                m.readySinceNanos = System.nanoTime();
                long idleSince = m.idleSinceNanos;
                m.direct.readyAgainLocked(idleSince == Long.MIN_VALUE ? -1 : m.readySinceNanos - idleSince, seq - 1);
                m.ready = true;
                // a suspended queue always tells: the policy may want it to run (a lone one, certainly)
                m.toldReady = m.readiness.turnedReady() || m.suspended;
                becameReady = m.toldReady;
            }
            LaunchConfig c = m.config;
            if (!m.tokenTaken && mayLaunchFromCaller()) {
                m.tokenTaken = true;
                m.nextLaunchSeq++;
                m.window.launched(command, seq);
                m.lastLaunchNanos = System.nanoTime();
                // a point behind the launch that opens the lane: the application's next call up asks
                // it, and so learns whether the device kept up with the lane (DirectLaunches#cameBackLocked)
                boolean laneOpened = m.direct.openLocked();
                boolean tell = becameReady;
                becameReady = false; // told by the caller, after its launch
                return new Admitted(seq, true, laneOpened || m.window.sinceSync() >= c.batchSize(), tell);
            }
            m.pending.add(command);
            m.direct.jobLeftToWorkerLocked();
            m.work.signal();
            return new Admitted(seq, false, false, false);
        } finally {
            m.lock.unlock();
            if (becameReady) {
                // After unlocking: the engine reads the queue's state when it handles an edge, so an
                // edge told late or out of order with another still leaves it with the truth, and
                // waking the scheduler thread must not hold up this queue's other callers.
                m.edge.run();
            }
        }
    }

    private boolean mayLaunchFromCaller() {
        return frontDoorOpen() && m.window.size() < m.thresholdLocked();
    }

    /** @return whether the caller may launch when the window has room */
    private boolean frontDoorOpen() {
        // a move asked for leaves the launching to the worker, which moves first
        return m.pending.isEmpty() && !m.suspended && m.stop == DeviceStop.NONE && m.attachment == Attachment.ATTACHED
                && m.moveTo == null && m.phase == Phase.OPEN && m.hw instanceof HwQueue.FreeThreaded;
    }

    private void requireOpen() {
        switch (m.phase) {
            case OPEN -> { }
            case FAILED -> throw new IllegalStateException(m.label + " failed: " + m.failure, m.failure);
            default -> throw new IllegalStateException(m.label + " is closed");
        }
    }
}
