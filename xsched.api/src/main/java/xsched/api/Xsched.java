package xsched.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import xsched.api.dto.RuntimeDTO;

/**
 * The xsched runtime, registered as an OSGi service (or created by an embedding application).
 */
@ProviderType
public interface Xsched {
    /** @return every device of every bound backend, the best first */
    List<XpuDevice> devices();

    /**
     * @param deviceId a device id such as {@code host:0}
     * @return the device, if a backend currently provides it
     */
    Optional<XpuDevice> device(String deviceId);

    /**
     * Creates a queue on a device for the calling process.
     *
     * @param deviceId the device
     * @param options  name, preempt level and launch parameters
     * @return the new queue, registered with the scheduler
     * @throws IllegalArgumentException for an unknown device or a level the device cannot do
     */
    XQueue createQueue(String deviceId, QueueOptions options);

    /** @return every open queue */
    List<XQueue> queues();

    /**
     * @param queueId a queue id
     * @return the queue, if open
     */
    Optional<XQueue> queue(long queueId);

    /**
     * Gives the scheduler a hint. Hints are kept by the runtime, survive policy switches and are
     * passed to every policy.
     *
     * @param hint the hint
     * @throws IllegalArgumentException when the hint names a queue that does not exist
     */
    void hint(Hint hint);

    /** @return the name of the active policy, empty while none is bound */
    Optional<String> activePolicy();

    /**
     * Makes another installed policy active.
     *
     * @param name the policy's name (its {@code xsched.policy.name} property)
     * @throws IllegalArgumentException when no policy of that name is installed; the message lists those that are
     */
    void activatePolicy(String name);

    /** @return a snapshot of the whole runtime */
    RuntimeDTO snapshot();
}
