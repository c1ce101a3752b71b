package xsched.spi.hal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One unit a vendor queue executes: a kernel launch, a copy, a memset, an event record or wait,
 * a host callback. Backends define their own command types; the core treats them as opaque and
 * hands them back to the backend's {@link HwQueue}. A command object is submitted once.
 */
@ConsumerType
public interface HwCommand {
    /**
     * @return whether the command may be launched, stopped before it runs (or between its blocks)
     *         and launched again with every part running exactly once — needed for level 2
     */
    default boolean deactivatable() {
        return false;
    }

    /**
     * @return whether a part of the command that was interrupted while running may be run again
     *         from its start — needed for level 3 interruption inside a running part
     */
    default boolean idempotent() {
        return false;
    }

    /**
     * Called right before the command is launched the first time, on the thread that launches it:
     * the queue's launch worker, or the submitting thread of a {@link HwQueue.FreeThreaded} queue.
     */
    default void beforeLaunch() {
    }

    /** @return the failure if the command ran and failed, else {@code null} */
    default Throwable failure() {
        return null;
    }

    /** @return a short description for listings and errors */
    default String describe() {
        return getClass().getSimpleName();
    }
}
