package xsched.api;

import java.util.Objects;
import java.util.Optional;

/**
 * How to create an {@link XQueue}.
 *
 * @param name       a label shown in listings
 * @param level      the preempt level; empty means the highest the device supports
 * @param launch     progressive-launching parameters
 * @param maxPending the most commands waiting to be launched; {@link XQueue#submit} waits beyond it
 */
public record QueueOptions(String name, Optional<PreemptLevel> level, LaunchConfig launch, int maxPending) {
    /** The default bound on commands waiting to be launched: 8192. */
    public static final int DEFAULT_MAX_PENDING = 8192;

    /** Validates the components. */
    public QueueOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(launch, "launch");
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, not " + maxPending);
        }
    }

    /**
     * Options with the default bound on pending commands.
     *
     * @param name   a label
     * @param level  the preempt level; empty means the highest the device supports
     * @param launch progressive-launching parameters
     */
    public QueueOptions(String name, Optional<PreemptLevel> level, LaunchConfig launch) {
        this(name, level, launch, DEFAULT_MAX_PENDING);
    }

    /** @return options with no name, the device's highest level and the default launch config */
    public static QueueOptions defaults() {
        return new QueueOptions("", Optional.empty(), LaunchConfig.DEFAULT);
    }

    /** @param newName a label @return a copy with that name */
    public QueueOptions withName(String newName) {
        return new QueueOptions(newName, level, launch, maxPending);
    }

    /** @param newLevel the preempt level @return a copy with that level */
    public QueueOptions withLevel(PreemptLevel newLevel) {
        return new QueueOptions(name, Optional.of(newLevel), launch, maxPending);
    }

    /** @param newLaunch launch parameters @return a copy with them */
    public QueueOptions withLaunch(LaunchConfig newLaunch) {
        return new QueueOptions(name, level, newLaunch, maxPending);
    }

    /** @param newMaxPending the most commands waiting to be launched @return a copy with it */
    public QueueOptions withMaxPending(int newMaxPending) {
        return new QueueOptions(name, level, launch, newMaxPending);
    }
}
