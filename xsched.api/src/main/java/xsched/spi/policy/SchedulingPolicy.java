package xsched.spi.policy;

import org.osgi.annotation.versioning.ConsumerType;
import xsched.api.Hint;

/**
 * A scheduling policy: a pure decision function. The core calls it on its scheduler thread
 * after every batch of events (queue READY/IDLE edges, hints, timer firings, queues opened or
 * closed). It must not block, must not call devices, and acts only through the context.
 * Register it as an OSGi service with the {@link #NAME} property.
 */
@ConsumerType
public interface SchedulingPolicy {
    /** Service property: the policy's name as users select it, e.g. {@code hpf}. */
    String NAME = "xsched.policy.name";

    /**
     * Decides which queues run. Queues the policy neither suspends nor resumes keep their state.
     *
     * @param status  every queue with its state and hints, and the global hints
     * @param context how to suspend and resume queues and set timers
     */
    void schedule(SchedulerStatus status, PolicyContext context);

    /**
     * Told of each hint as it arrives, before the next {@link #schedule} call. The core keeps the
     * hints itself (they appear in the status), so most policies ignore this.
     *
     * @param hint the hint
     */
    default void hint(Hint hint) {
    }

    /**
     * Called when the policy becomes active or stops being active, so it can drop state kept
     * between calls (e.g. timeslice bookkeeping).
     */
    default void reset() {
    }

    /**
     * Optional: the policy suspends no queue while it is the only READY queue, and keeps no
     * account of a lone queue's time between calls. Its decisions can only change once a second
     * queue is READY, so the core need not wake its scheduler for a queue that runs alone: such a
     * queue's READY and IDLE edges may be told late or not at all (a submit wakes no other
     * thread). The policy sees the queue as soon as any other queue's edge, hint or timer arrives,
     * with the time it really turned READY ({@link QueueStatus#readySinceNanos()}).
     */
    @ConsumerType
    interface ContentionOnly extends SchedulingPolicy {
    }

    /**
     * Optional: the policy also decides where queues run on devices that can be partitioned
     * ({@link xsched.spi.hal.Backend.Partitioned}): a latency-critical queue on a partition of its
     * own, the others on the rest. The core calls {@link #place} in every round right before
     * {@link #schedule}, with the same status and on the same thread, under the same deadline; a
     * policy that throws from it is handled as when {@code schedule} throws (every queue runs; the
     * layout stays as it was). While the active policy is not {@code Placing}, every queue runs on
     * its whole device.
     */
    @ConsumerType
    interface Placing extends SchedulingPolicy {
        /**
         * Decides the layout of devices.
         *
         * @param status  every queue with its state and hints, as {@link #schedule} gets it next
         * @param context how to place queues
         */
        void place(SchedulerStatus status, PlacementContext context);
    }
}
