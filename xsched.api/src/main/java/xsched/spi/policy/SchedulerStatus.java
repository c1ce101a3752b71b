package xsched.spi.policy;

import java.util.List;

/**
 * A snapshot handed to {@link SchedulingPolicy#schedule}.
 *
 * @param nanoTime          the scheduler clock when taken
 * @param queues            every open queue, in creation order
 * @param k                 k for k-EDF, 1 if not given
 * @param activeWindowPid   process owning the focused window, -1 if not given
 * @param timesliceNanos    default timeslice, 0 if not given
 */
public record SchedulerStatus(long nanoTime, List<QueueStatus> queues, int k, long activeWindowPid,
        long timesliceNanos) {
    /** Copies the list. */
    public SchedulerStatus {
        queues = List.copyOf(queues);
    }
}
