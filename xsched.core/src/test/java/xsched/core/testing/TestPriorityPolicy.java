package xsched.core.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Highest priority first per device, as the HPF bundle does it, for the core's own tests (which
 * may not depend on the policy bundles): READY queues below the highest priority among the
 * device's READY queues are suspended, every other queue runs. It records each change it asks for
 * (a suspend of a running queue, a resume of a suspended one), in order, so tests can assert on
 * decisions rather than on timing, and optionally shows each status to an observer.
 */
public final class TestPriorityPolicy implements SchedulingPolicy {
    /** One change the policy asked for. @param queueId the queue @param run true for resume, false for suspend */
    public record Change(long queueId, boolean run) {
        /** @param queueId a queue @return its suspension */
        public static Change suspend(long queueId) {
            return new Change(queueId, false);
        }

        /** @param queueId a queue @return its resumption */
        public static Change resume(long queueId) {
            return new Change(queueId, true);
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final Consumer<SchedulerStatus> observer;

    /** A policy that shows its statuses to nobody. */
    public TestPriorityPolicy() {
        this(status -> { });
    }

    /** @param observer shown every status the policy decides on */
    public TestPriorityPolicy(Consumer<SchedulerStatus> observer) {
        this.observer = observer;
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        observer.accept(status);
        Map<String, Integer> top = new HashMap<>();
        for (QueueStatus q : status.queues()) {
            if (q.ready()) {
                top.merge(q.deviceId(), q.hints().priority(), Math::max);
            }
        }
        for (QueueStatus q : status.queues()) {
            Integer highest = top.get(q.deviceId());
            boolean run = !(q.ready() && highest != null && q.hints().priority() < highest);
            if (run) {
                context.resume(q.id());
            } else {
                context.suspend(q.id());
            }
            if (run == q.suspended()) {
                record(new Change(q.id(), run));
            }
        }
    }

    /** Consecutive repeats (asked again before the first was applied) are recorded once. */
    private synchronized void record(Change change) {
        if (changes.isEmpty() || !changes.getLast().equals(change)) {
            changes.add(change);
        }
    }

    /** @return the changes asked for so far, in order */
    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }
}
