package xsched.policy.testkit;

import java.util.List;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * Builds one {@link SchedulerStatus}. Unless set otherwise it is taken at time 0, with k = 1, no
 * active window (-1) and no global timeslice (0): the values that mean "not given".
 *
 * <pre>{@code
 * policy.schedule(new SchedulerStatusBuilder(queues).at(now).k(2).build(), ctx);
 * }</pre>
 */
public final class SchedulerStatusBuilder {
    private final List<QueueStatus> queues;
    private long nanoTime;
    private int k = 1;
    private long activeWindowPid = -1;
    private long timesliceNanos;

    /** @param queues every open queue, in creation order */
    public SchedulerStatusBuilder(List<QueueStatus> queues) {
        this.queues = List.copyOf(queues);
    }

    /** @param queues every open queue, in creation order */
    public SchedulerStatusBuilder(QueueStatus... queues) {
        this(List.of(queues));
    }

    /**
     * @param nanoTime the scheduler clock when the status is taken
     * @return this
     */
    public SchedulerStatusBuilder at(long nanoTime) {
        this.nanoTime = nanoTime;
        return this;
    }

    /**
     * @param k the global k (for k-EDF)
     * @return this
     */
    public SchedulerStatusBuilder k(int k) {
        this.k = k;
        return this;
    }

    /**
     * @param pid process owning the focused window
     * @return this
     */
    public SchedulerStatusBuilder activeWindow(long pid) {
        this.activeWindowPid = pid;
        return this;
    }

    /**
     * @param nanos the global default timeslice
     * @return this
     */
    public SchedulerStatusBuilder timeslice(long nanos) {
        this.timesliceNanos = nanos;
        return this;
    }

    /** @return the status as set so far */
    public SchedulerStatus build() {
        return new SchedulerStatus(nanoTime, queues, k, activeWindowPid, timesliceNanos);
    }
}
