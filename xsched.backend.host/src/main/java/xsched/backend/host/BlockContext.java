package xsched.backend.host;

/** Handed to each block of a {@link HostKernel} while it runs. */
public interface BlockContext {
    /**
     * An interrupt point. Kernels declared {@linkplain HostKernel#idempotent() idempotent} call it in
     * their loops; when it returns true the block must return at once, and it will be run again
     * from its start when the queue is restored. Always false for other kernels.
     *
     * @return whether the block is being interrupted
     */
    boolean preempted();
}
