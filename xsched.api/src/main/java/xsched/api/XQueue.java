package xsched.api;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;
import xsched.spi.hal.HwCommand;

/**
 * A preemptible queue in front of one vendor command queue. Commands are launched to the
 * hardware progressively (never more than {@link LaunchConfig#threshold()} unfinished), in
 * submission order, by a launch worker of the queue's own. The scheduler suspends and resumes
 * the queue; applications may too.
 *
 * <p>Submitting returns a sequence number: the handle for {@link #await(long)} and
 * {@link #outcome(long)}. Sequence numbers start at 1 and grow by one per command.
 */
@ProviderType
public interface XQueue extends AutoCloseable {
    /** @return the queue's id, unique in the runtime */
    long id();

    /** @return the queue's label */
    String name();

    /** @return the device the queue runs on */
    XpuDevice device();

    /** @return the id of the process that owns the queue */
    long pid();

    /**
     * Appends a command. The command is launched later, in order, by the queue's launch worker.
     *
     * @param command a command built by the queue's backend
     * @return the command's sequence number
     * @throws IllegalArgumentException if the backend does not accept the command
     * @throws IllegalStateException    if the queue is closed
     */
    long submit(HwCommand command);

    /**
     * Waits until the command has completed, failed or been dropped.
     *
     * @param seq a sequence number returned by {@link #submit(HwCommand)}
     * @return how it ended
     * @throws InterruptedException when interrupted while waiting
     */
    Outcome await(long seq) throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the command.
     *
     * @param seq     a sequence number
     * @param timeout how long to wait
     * @return how it ended
     * @throws InterruptedException when interrupted
     * @throws TimeoutException     when it has not ended in time
     */
    Outcome await(long seq, Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Waits until every command submitted so far has ended.
     *
     * @throws InterruptedException when interrupted
     */
    void awaitAll() throws InterruptedException;

    /**
     * @param seq a sequence number
     * @return how the command ended, or {@code null} while it has not
     */
    Outcome outcome(long seq);

    /**
     * @param seq a sequence number whose outcome is {@link Outcome#FAILED}
     * @return the failure, or {@code null} if the command did not fail
     */
    Throwable failure(long seq);

    /**
     * Stops the queue: nothing more is launched and, at level 2 or 3, work already launched is
     * deactivated or interrupted. Idempotent.
     */
    void suspend();

    /** Resumes the queue, relaunching whatever a deactivation or interruption stopped. */
    default void resume() {
        resume(false);
    }

    /**
     * Resumes the queue.
     *
     * @param dropPending if true, commands submitted but not yet launched are dropped
     *                    (their outcome becomes {@link Outcome#DROPPED}) instead of launched
     */
    void resume(boolean dropPending);

    /** @return IDLE or READY */
    QueueState state();

    /** @return whether the queue is suspended */
    boolean suspended();

    /** @return the current launch parameters */
    LaunchConfig launchConfig();

    /**
     * Changes the launch parameters; takes effect for the next launch.
     *
     * @param config new parameters
     */
    void launchConfig(LaunchConfig config);

    /** @return the current preempt level */
    PreemptLevel level();

    /**
     * Changes the preempt level.
     *
     * @param level the new level
     * @throws IllegalArgumentException if the device does not support it
     */
    void level(PreemptLevel level);

    /** @return sequence number of the last command submitted, 0 if none */
    long submitted();

    /** @return number of commands that have ended (completed, failed or dropped) */
    long finished();

    /**
     * Closes the queue: waits for launched work to finish, drops what was never launched, and
     * releases the hardware queue.
     */
    @Override
    void close();
}
