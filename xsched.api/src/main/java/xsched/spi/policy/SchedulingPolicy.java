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
}
