package xsched.spi.hal;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor command queue (CUDA stream, HIP stream, Level Zero command queue, OpenCL command
 * queue) as the core drives it. The base interface is level 1: launch and synchronize. Every
 * method but {@link Deactivatable#deactivate()} and {@link Interruptible#interrupt()} is called
 * from the queue's own launch worker thread, so a backend may bind thread-local context there.
 */
@ConsumerType
public interface HwQueue extends AutoCloseable {
    /**
     * Checks, at submit time, that a command is one this queue can launch.
     *
     * @param command the command
     * @throws IllegalArgumentException with a usable message when it is not
     */
    void accept(HwCommand command);

    /**
     * Launches a command asynchronously, behind everything launched before.
     *
     * @param command a command that passed {@link #accept(HwCommand)}
     */
    void launch(HwCommand command);

    /**
     * Records a synchronization point behind everything launched so far.
     *
     * @return the point
     */
    SyncPoint record();

    /**
     * Blocks until every launched command has completed.
     *
     * @throws InterruptedException when interrupted
     */
    void synchronize() throws InterruptedException;

    /** Releases the vendor queue; called once, after {@link #synchronize()}. */
    @Override
    void close();

    /**
     * Level 2: launched commands that have not started running can be stopped and relaunched.
     */
    @ConsumerType
    interface Deactivatable extends HwQueue {
        /**
         * Stops the queue: commands launched but not running are held back, and a running
         * {@linkplain HwCommand#deactivatable() deactivatable} command stops at its next part
         * boundary. Sync points that can no longer be reached are cancelled. Commands launched
         * while deactivated do not run. May be called from any thread, concurrently with the
         * launch worker; returns once nothing of this queue runs on the device.
         */
        void deactivate();

        /**
         * Undoes {@link #deactivate()} and relaunches, in order, every command of {@code log} that has
         * not completed, continuing each from where it stopped.
         *
         * @param log the commands launched since the last point known reached, oldest first
         */
        void reactivate(List<HwCommand> log);
    }

    /**
     * Optional, with level 2: deactivation <em>holds</em> launched commands on the device instead of
     * taking them back — e.g. a gate in front of them on the device that stays closed while the
     * queue is deactivated. Held commands stay launched and run later, exactly once, in order; the
     * sync points behind them are not cancelled and are reached once the queue runs again. A
     * <em>wait</em> on one is cancelled, though: {@link SyncPoint#await()} returns false as soon as a
     * deactivation is in effect (the thread that will reactivate the queue may be the one waiting);
     * waiting again after reactivation reaches the point. {@link #reactivate(List)} and {@link
     * #restore(List)} therefore relaunch nothing: they open the gate, and the core keeps its sync
     * points.
     *
     * <p>Launched commands cannot leave such a queue: before the core lets go of it while it is
     * deactivated (a backend swap), it reactivates it and waits for them; {@link #close()} runs held
     * commands rather than leaving them stuck on the device.
     */
    @ConsumerType
    interface Holding extends Deactivatable {
    }

    /**
     * Level 3: a running command is stopped where it is and later resumed or redone.
     */
    @ConsumerType
    interface Interruptible extends Deactivatable {
        /**
         * Like {@link #deactivate()}, and a running {@linkplain HwCommand#idempotent() idempotent}
         * command stops at its next interrupt point without waiting for a part boundary; the
         * interrupted part is redone on {@link #restore(List)}. May be called from any thread.
         */
        void interrupt();

        /**
         * Undoes {@link #interrupt()}: relaunches every command of {@code log} that has not
         * completed, redoing interrupted parts.
         *
         * @param log the commands launched since the last point known reached, oldest first
         */
        void restore(List<HwCommand> log);
    }

    /**
     * Optional: the queue may be driven from any thread, one call at a time, and its sync points
     * may be awaited and queried from other threads while it launches. The core then launches a
     * command from the submitting thread when it may run at once, and a thread waiting for a
     * command waits on its sync point itself — no hand-off to the launch worker on either side.
     * A backend that binds per-thread state (a CUDA context) binds it in every call.
     */
    @ConsumerType
    interface FreeThreaded extends HwQueue {
    }

    /**
     * Optional: the queue's commands run on threads of this process (a host device's engine, host
     * callbacks). Waiting for the queue's work from such a thread could mean waiting for itself, so
     * the core asks before it waits, e.g. in {@code XQueue.close()}.
     */
    @ConsumerType
    interface CommandThreads extends HwQueue {
        /**
         * @param thread a thread
         * @return whether it runs commands of this queue (or of other queues its device serves in turn)
         */
        boolean runsCommandsOn(Thread thread);
    }
}
