package xsched.core.internal.sched;

import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.core.engine.EngineClock;
import xsched.core.engine.ScheduledQueue;

/**
 * One open queue as the scheduler keeps it: identity read once, readiness as of its last edge,
 * and every call into the queue guarded, so that a queue that throws (a remote proxy, a queue
 * mid-teardown) costs a log line, never the scheduler thread. Scheduler thread only.
 */
final class QueueRecord {
    private static final Logger LOG = LoggerFactory.getLogger(QueueRecord.class);

    final ScheduledQueue queue;
    final long id;
    final String deviceId;
    final long pid;
    final long uid;
    boolean ready;
    long readySince = Long.MIN_VALUE;
    long idleSince = Long.MIN_VALUE;
    long drainedSince = Long.MIN_VALUE;
    private boolean lastSuspended;

    private QueueRecord(ScheduledQueue queue, long id, String deviceId, long pid, long uid) {
        this.queue = queue;
        this.id = id;
        this.deviceId = deviceId;
        this.pid = pid;
        this.uid = uid;
    }

    /** @return the record, or null when the queue cannot even say who it is */
    static QueueRecord of(ScheduledQueue queue) {
        try {
            return new QueueRecord(queue, queue.id(), queue.deviceId(), queue.pid(), queue.uid());
        } catch (Throwable t) {
            LOG.error("queue {} not scheduled: it failed to tell its identity", queue, t);
            return null;
        }
    }

    /**
     * Reads readiness; turning READY starts {@link #readySince} at the clock's time, turning IDLE
     * {@link #idleSince}. On the system clock the queue's own times are taken instead, also while it
     * is IDLE: a READY period that began and ended between two rounds then shows as a new {@link
     * #readySince} of an IDLE queue.
     */
    void track(EngineClock clock) {
        boolean system = clock == EngineClock.SYSTEM;
        // the time before readiness (see StateReports): IDLE after it means that period ended
        long before = system ? timeOfQueue(ScheduledQueue::readySinceNanos) : Long.MIN_VALUE;
        boolean now;
        try {
            now = queue.ready();
        } catch (Throwable t) {
            LOG.warn("queue {} failed to tell whether it is ready; kept as {}", id, ready ? "READY" : "IDLE", t);
            return;
        }
        long since = system && now ? timeOfQueue(ScheduledQueue::readySinceNanos) : before;
        if (since != Long.MIN_VALUE) {
            readySince = since;
        } else if (now && !ready) {
            readySince = clock.nanoTime();
        }
        long idle = system ? timeOfQueue(ScheduledQueue::idleSinceNanos) : Long.MIN_VALUE;
        if (idle != Long.MIN_VALUE) {
            idleSince = idle;
        } else if (!now && ready) {
            idleSince = clock.nanoTime();
        }
        if (system) {
            drainedSince = timeOfQueue(ScheduledQueue::drainedSinceNanos);
        }
        ready = now;
    }

    /**
     * @param time one of the queue's own times (its last READY or IDLE edge, its last drain)
     * @return that time; {@link Long#MIN_VALUE} when it cannot tell
     */
    private long timeOfQueue(ToLongFunction<ScheduledQueue> time) {
        try {
            return time.applyAsLong(queue);
        } catch (Throwable t) {
            return Long.MIN_VALUE;
        }
    }

    /** @return whether the queue is suspended; as last seen when it fails to say */
    boolean suspended() {
        try {
            lastSuspended = queue.suspended();
        } catch (Throwable t) {
            LOG.warn("queue {} failed to tell whether it is suspended", id, t);
        }
        return lastSuspended;
    }

    /** Asks the queue to run or to stop, unless it already does. */
    void apply(boolean run) {
        try {
            if (run && suspended()) {
                queue.resume();
            } else if (!run && !suspended()) {
                queue.suspend();
            }
        } catch (Throwable t) {
            LOG.warn("cannot {} queue {}", run ? "resume" : "suspend", id, t);
        }
    }
}
