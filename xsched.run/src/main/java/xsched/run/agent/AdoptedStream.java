package xsched.run.agent;

import xsched.api.XQueue;
import xsched.spi.hal.HwCommand;

/** One of the application's streams under xsched: its XQueue, and how an intercepted call becomes a command of it. */
interface AdoptedStream {
    /** What {@link Call#result()} says before the call was made. */
    int NOT_LAUNCHED = Integer.MIN_VALUE;

    /** @return the XQueue over the stream */
    XQueue queue();

    /**
     * @param function the driver function's name
     * @param call     the call, arguments bound; made exactly once, when the command is launched
     * @return the command; to be built on the thread that then waits for its launch
     */
    Call command(String function, NativeCall call);

    /** A command that makes one application call when launched. */
    interface Call {
        /** @return the command to submit */
        HwCommand command();

        /** @return the call's {@code CUresult} once made, {@link #NOT_LAUNCHED} before */
        int result();
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
         * On an application's thread, after xsched worked with its queues there (a launch through the
         * front door, a wait): undoes what that changed on the thread (its current context).
         */
        default void restoreThread() {
        }
    }
}
