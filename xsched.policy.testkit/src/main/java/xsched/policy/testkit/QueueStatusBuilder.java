package xsched.policy.testkit;

import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;

/**
 * Builds one {@link QueueStatus}. Unless set otherwise the queue belongs to a process of its own
 * (pid = queue id, uid unknown), is idle and not suspended, turned READY at 0 and has no hints.
 *
 * <pre>{@code
 * QueueStatus q = new QueueStatusBuilder(1, "gpu").ready(true).hints(Hints.priority(5)).build();
 * }</pre>
 */
public final class QueueStatusBuilder {
    private final long id;
    private final String deviceId;
    private long pid;
    private long uid = -1;
    private boolean ready;
    private boolean suspended;
    private long readySinceNanos;
    private long idleSinceNanos = Long.MIN_VALUE;
    private long drainedSinceNanos = Long.MIN_VALUE;
    private QueueHints hints = QueueHints.NONE;

    /**
     * @param id       queue id
     * @param deviceId device the queue is on
     */
    public QueueStatusBuilder(long id, String deviceId) {
        this.id = id;
        this.deviceId = deviceId;
        this.pid = id;
    }

    /**
     * @param uid the owning process's user id
     * @return this builder
     */
    public QueueStatusBuilder uid(long uid) {
        this.uid = uid;
        return this;
    }

    /**
     * @param pid owning process
     * @return this
     */
    public QueueStatusBuilder pid(long pid) {
        this.pid = pid;
        return this;
    }

    /**
     * @param ready whether the queue has work
     * @return this
     */
    public QueueStatusBuilder ready(boolean ready) {
        this.ready = ready;
        return this;
    }

    /**
     * @param suspended whether the queue is currently suspended
     * @return this
     */
    public QueueStatusBuilder suspended(boolean suspended) {
        this.suspended = suspended;
        return this;
    }

    /**
     * @param nanos when the queue last turned READY, on the scheduler clock
     * @return this
     */
    public QueueStatusBuilder readySince(long nanos) {
        this.readySinceNanos = nanos;
        return this;
    }

    /**
     * @param nanos when the queue last turned IDLE, on the scheduler clock
     * @return this
     */
    public QueueStatusBuilder idleSince(long nanos) {
        this.idleSinceNanos = nanos;
        return this;
    }

    /**
     * @param nanos when the queue's launched work last all ended while it was suspended, on the scheduler clock
     * @return this
     */
    public QueueStatusBuilder drainedSince(long nanos) {
        this.drainedSinceNanos = nanos;
        return this;
    }

    /**
     * @param hints hints in force, for instance from {@link Hints}
     * @return this
     */
    public QueueStatusBuilder hints(QueueHints hints) {
        this.hints = hints;
        return this;
    }

    /** @return the queue as set so far */
    public QueueStatus build() {
        return new QueueStatus(id, deviceId, pid, uid, ready, suspended, readySinceNanos, hints, idleSinceNanos, drainedSinceNanos);
    }
}
