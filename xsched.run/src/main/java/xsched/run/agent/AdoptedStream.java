package xsched.run.agent;

import java.util.function.IntSupplier;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.OwnerThread;
import xsched.spi.hal.HwCommand;

/**
 * One of the application's streams under xsched: its XQueue, and how an intercepted call becomes a command of it.
 *
 * @param queue    the XQueue over the stream
 * @param commands builds a command whose launch makes one call; on the thread that then waits for its launch
 * @param lane     the queue's direct lane ({@link StreamLane#NONE}: none)
 */
record AdoptedStream(XQueue queue, Commands commands, StreamLane lane) implements StreamRoute {
    /** What {@link Call#result()} says before the call was made. */
    static final int NOT_LAUNCHED = Integer.MIN_VALUE;

    /** A stream without a direct lane. */
    AdoptedStream(XQueue queue, Commands commands) {
        this(queue, commands, StreamLane.NONE);
    }

    /** @return this stream with a direct lane */
    AdoptedStream withLane(StreamLane newLane) {
        return new AdoptedStream(queue, commands, newLane);
    }

    /**
     * @param function the driver function's name
     * @param call     the call, arguments bound; made exactly once, when the command is launched
     * @return the command; to be built on the thread that then waits for its launch
     */
    Call command(String function, NativeCall call) {
        return commands.command(function, call);
    }

    /** Builds the commands of a stream. */
    @FunctionalInterface
    interface Commands {
        /**
         * @param function the driver function's name
         * @param call     the call
         * @return a command that makes it when launched
         */
        Call command(String function, NativeCall call);
    }

    /**
     * A command that makes one application call when launched.
     *
     * @param command      the command to submit
     * @param launchResult the call's {@code CUresult} once made, {@link #NOT_LAUNCHED} before
     */
    record Call(HwCommand command, IntSupplier launchResult) {
        /** @return the call's {@code CUresult} once made, {@link #NOT_LAUNCHED} before */
        int result() {
            return launchResult.getAsInt();
        }
    }

    /** Adopts streams: the CUDA backend in the application, a host stand-in in tests. */
    @FunctionalInterface
    interface Adopter {
        /**
         * @param stream an application stream (0: the legacy NULL stream)
         * @return the stream's XQueue and commands
         * @throws IllegalStateException with the reason when the stream cannot be scheduled (it then runs natively)
         */
        AdoptedStream adopt(long stream);

        /**
         * @param stream an application stream
         * @return whether its calls must pass straight through now (e.g. it is being captured into a graph)
         */
        default boolean passThrough(long stream) {
            return false;
        }

        /**
         * Adopts the calling thread's per-thread default stream (of its current context): a queue
         * whose launches the owner makes itself, handed over while it waits for them ({@link
         * OwnerThread}). By default none: such streams run natively.
         *
         * @param owner the calling thread, which submits its calls to the queue
         * @return the stream's XQueue and commands
         * @throws IllegalStateException with the reason when the stream cannot be scheduled (it then runs natively)
         */
        default AdoptedStream adoptPerThread(OwnerThread owner) {
            throw new IllegalStateException("per-thread default streams are not scheduled");
        }

        /**
         * @return what tells the calling thread's per-thread default streams apart: its current
         *         context (a thread has one such stream per context); 0 by default
         */
        default long perThreadStreamKey() {
            return 0;
        }

        /**
         * On an application's thread, after xsched worked with its queues there (a launch through the
         * front door, a wait): undoes what that changed on the thread (its current context).
         */
        default void restoreThread() {
        }
    }
}
