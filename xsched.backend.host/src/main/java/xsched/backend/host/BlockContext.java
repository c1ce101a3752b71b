package xsched.backend.host;

import org.osgi.annotation.versioning.ProviderType;

/** Handed to each block of a {@link HostKernel} while it runs; the backend implements it. */
@ProviderType
public interface BlockContext {
    /**
     * An interrupt point. Kernels declared {@linkplain HostKernel#idempotent() idempotent} call it in
     * their loops; when it returns true the block must return at once, and it will be run again
     * from its start when the queue is restored. Always false for other kernels.
     *
     * @return whether the block is being interrupted
     */
    boolean preempted();

    /**
     * @return the index of the device worker running this block, 0 ≤ index &lt; the device's
     *         workers; a queue placed on a partition runs only on that partition's workers
     */
    int worker();
}
