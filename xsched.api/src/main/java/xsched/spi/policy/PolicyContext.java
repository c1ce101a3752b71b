package xsched.spi.policy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a policy may do, handed to it by the core for one {@link SchedulingPolicy#schedule} call.
 */
@ProviderType
public interface PolicyContext {
    /** @param queueId a queue to stop */
    void suspend(long queueId);

    /** @param queueId a queue to let run */
    void resume(long queueId);

    /**
     * Asks to be scheduled again at a time; earlier requests stay in force.
     *
     * @param atNanos a time on the {@link #nanoTime()} clock
     */
    void timer(long atNanos);

    /** @return the scheduler's clock, nanoseconds, monotonic */
    long nanoTime();
}
