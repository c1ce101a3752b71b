package xsched.api;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;
import xsched.spi.hal.HwCommand;

/**
 * A preemptible queue in front of one vendor command queue. Commands are launched to the
 * hardware progressively (never more than {@link LaunchConfig#threshold()} unfinished, or a few
 * times that at level 1 while a {@linkplain #directLane direct lane} stretches the window), in
 * submission order, by a launch worker of the queue's own. The scheduler suspends and resumes
 * the queue; applications may too.
 *
 * <p>Submitting returns a sequence number: the handle for {@link #await(long)} and
 * {@link #outcome(long)}. Sequence numbers start at 1 and grow by one per command.
 *
 * <p>Bounds. At most {@link QueueOptions#maxPending()} commands wait to be launched; {@link
 * #submit(HwCommand)} waits for room and {@link #offer(HwCommand, Duration)} gives up after a
 * timeout. The outcome of a command stays known while it is among the newest {@link
 * #OUTCOME_WINDOW} sequence numbers (or older but not yet ended); looking up an older one throws
 * {@link IllegalStateException}, so a queue's memory does not grow with the commands it ran.
 *
 * <p>Failure. A queue whose vendor queue breaks (an error from the backend beyond one command's
 * own failure) becomes failed: every command not yet ended ends {@link Outcome#FAILED} with the
 * reason, and submitting throws {@link IllegalStateException} naming it.
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

    /** How many of the newest sequence numbers keep their outcome: 16384. */
    int OUTCOME_WINDOW = 1 << 14;

    /**
     * Appends a command. It is launched in order: at once from the calling thread when the queue
     * runs and has room in its launch window, otherwise later by the queue's launch worker. Waits
     * while {@link QueueOptions#maxPending()} commands are already waiting.
     *
     * @param command a command built by the queue's backend
     * @return the command's sequence number
     * @throws IllegalArgumentException if the backend does not accept the command
     * @throws IllegalStateException    if the queue is closed or failed, or the calling thread was
     *                                  interrupted while waiting for room (its interrupt status is
     *                                  set again and the command was not submitted)
     */
    long submit(HwCommand command);

    /**
     * Like {@link #submit(HwCommand)}, but waits at most {@code timeout} for room.
     *
     * @param command a command built by the queue's backend
     * @param timeout how long to wait while the queue is full; zero does not wait
     * @return the sequence number, or empty when the queue stayed full
     * @throws InterruptedException     when interrupted while waiting
     * @throws IllegalArgumentException if the backend does not accept the command
     * @throws IllegalStateException    if the queue is closed or failed
     */
    OptionalLong offer(HwCommand command, Duration timeout) throws InterruptedException;

    /**
     * Waits until the command has completed, failed or been dropped.
     *
     * @param seq a sequence number returned by {@link #submit(HwCommand)}
     * @return how it ended
     * @throws InterruptedException     when interrupted while waiting
     * @throws IllegalArgumentException when {@code seq} was never returned by this queue
     * @throws IllegalStateException    when the command ended outside the outcome window
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
     * @throws IllegalArgumentException when {@code seq} was never returned by this queue
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
     * @throws IllegalArgumentException when {@code seq} was never returned by this queue
     * @throws IllegalStateException    when the command ended outside the outcome window
     */
    Outcome outcome(long seq);

    /**
     * @param seq a sequence number whose outcome is {@link Outcome#FAILED}
     * @return the failure, or {@code null} if the command did not fail (or has not ended)
     * @throws IllegalArgumentException when {@code seq} was never returned by this queue
     * @throws IllegalStateException    when the command ended outside the outcome window
     */
    Throwable failure(long seq);

    /**
     * Stops the queue: nothing more is launched and, at level 2 or 3, work already launched is
     * deactivated or interrupted; returns once that is done. Idempotent.
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

    /**
     * Gives the queue a lane through which the application launches on the hardware queue itself
     * while the queue would launch at once ({@link DirectLane}). Each launch made through it becomes
     * a command of the queue with a sequence number of its own, launched, which ends when the device
     * has passed it. The queue opens the lane only at level 1. While the device keeps up with the
     * launches made through it, the queue may stretch its window to a few times the configured
     * threshold, so that the application comes back for more less often; it sets the window back
     * when suspended, when its window, level or lane changes, and for the first batch after IDLE.
     *
     * @param lane the lane; null closes the current one and forgets it
     * @return whether the queue opens lanes at all (false: it never calls this one)
     */
    default boolean directLane(DirectLane lane) {
        return false;
    }

    /**
     * A mark to take before the application synchronizes the hardware queue's stream itself, for
     * {@link #completedThrough}: the newest command whose launch has returned, the launches made
     * through the direct lane counted first.
     *
     * @return that command's sequence number (0 if none), or -1 when the queue cannot tell now (a
     *         launch may be under way, or the queue is not at level 1 or not open)
     */
    default long launchedThrough() {
        return -1;
    }

    /**
     * The application synchronized the hardware queue's stream after {@link #launchedThrough}
     * gave {@code seq}, and the device said the stream's work is done: at level 1, where nothing
     * launched is launched again, the commands through {@code seq} end now, without a question to
     * the device, and the queue goes IDLE when nothing else is left. At other levels a preemption
     * may have cut a kernel short that still has to run, and the queue finds out by itself.
     *
     * @param seq what {@link #launchedThrough} gave; negative: nothing
     * @return whether the queue took it (false: it finds out by itself)
     */
    default boolean completedThrough(long seq) {
        return false;
    }

    /**
     * When the queue last turned READY, kept after it turned IDLE again, so that whoever looks at
     * the queue now and then can tell that a READY period came and went between two looks: the
     * value changes at every IDLE to READY edge.
     *
     * @return {@link System#nanoTime()} at the last IDLE to READY edge, or {@link Long#MIN_VALUE}
     *         if the queue was never READY or cannot tell
     */
    default long readySinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * When the queue last turned IDLE: with {@link #readySinceNanos()}, how long its last READY
     * period lasted, as the queue itself saw it.
     *
     * @return {@link System#nanoTime()} at the last READY to IDLE edge, or {@link Long#MIN_VALUE}
     *         if the queue never turned IDLE after being READY, or cannot tell
     */
    default long idleSinceNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * When the queue's launched work last all ended while it was suspended: its last launched
     * command ended after a suspension (at level 1, where what was launched runs on), the device
     * stopped it (at level 2 or 3), or it had nothing launched when suspended. With the time of the
     * suspension, how long the queue took to leave the device to others.
     *
     * @return {@link System#nanoTime()} at that moment, or {@link Long#MIN_VALUE} if it never was
     *         or the queue cannot tell
     */
    default long drainedSinceNanos() {
        return Long.MIN_VALUE;
    }

    /** @return sequence number of the last command submitted, 0 if none */
    long submitted();

    /** @return number of commands that have ended (completed, failed or dropped) */
    long finished();

    /**
     * Closes the queue: waits for launched work to finish, drops what was never launched, and
     * releases the hardware queue. May be called from any thread, a device's own included; called
     * from a command running on this queue's device it returns without waiting for that command.
     */
    @Override
    void close();
}
