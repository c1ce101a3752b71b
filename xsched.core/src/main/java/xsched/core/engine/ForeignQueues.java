package xsched.core.engine;

import java.util.function.LongFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Admission of queues run by other processes into a runtime's scheduler: the door a node daemon
 * uses. The runtime registers this service beside {@code Xsched}; embedded runtimes return it from
 * {@code EmbeddedXsched.foreignQueues()}.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
@ProviderType
public interface ForeignQueues {
    /**
     * Admits a queue: gives it an id unique among this runtime's queues, lists it, and tells the
     * scheduler, which runs the policy.
     *
     * @param <Q>     the queue type
     * @param factory makes the queue for the id the runtime chose
     * @return the queue made
     */
    <Q extends ForeignQueue> Q admit(LongFunction<Q> factory);

    /**
     * Tells the scheduler that an admitted queue's readiness may have changed (a READY or IDLE
     * edge reported by its process).
     *
     * @param queue an admitted queue; an unknown one is ignored
     */
    void changed(ForeignQueue queue);

    /**
     * Removes an admitted queue (it was closed, or its process went away) and runs the policy
     * without it. Idempotent.
     *
     * @param queue an admitted queue
     */
    void remove(ForeignQueue queue);
}
