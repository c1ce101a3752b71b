package xsched.core.engine;

import org.osgi.annotation.versioning.ConsumerType;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;

/**
 * A queue that runs in another process and obeys this runtime's scheduler, as a node daemon
 * admits it through {@link ForeignQueues}. It is listed, hinted, configured and scheduled like the
 * runtime's own queues; {@link #suspend()}, {@link #resume(boolean)}, {@link #level} and
 * {@link #launchConfig(xsched.api.LaunchConfig)} ask the owning process and return at once.
 * Commands are submitted in the owning process only: {@code submit} and the waits of
 * {@link XQueue} throw {@link UnsupportedOperationException} here.
 */
@ConsumerType
public interface ForeignQueue extends XQueue {
    /** @return the user id of the owning process, as the kernel named it; -1 when unknown */
    default long uid() {
        return -1;
    }

    /** @return whether the queue has work, pending or in flight, as its process last reported */
    boolean ready();

    /**
     * @return the {@link System#nanoTime()} of this JVM at which the report that the queue turned
     *         READY arrived (kept after one that it turned IDLE), or {@link Long#MIN_VALUE} when
     *         unknown
     */
    default long readySinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * @return the {@link System#nanoTime()} of this JVM at which the queue turned IDLE last, dated
     *         back by the owning process's report where it says when, or {@link Long#MIN_VALUE}
     *         when unknown
     */
    @Override
    default long idleSinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * @return the {@link System#nanoTime()} of this JVM at which the queue's launched work last all
     *         ended while it was suspended, dated back by the owning process's report, or {@link
     *         Long#MIN_VALUE} when unknown
     */
    @Override
    default long drainedSinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * Fills what only the owning process knows (counters, in-flight work, the peer) into a DTO
     * whose identity, device, level, launch config and priority the runtime has filled.
     *
     * @param dto the DTO to complete
     */
    void describe(QueueDTO dto);
}
