package xsched.api;

import java.util.Objects;
import java.util.Optional;

/**
 * How to create an {@link XQueue}.
 *
 * @param name   a label shown in listings
 * @param level  the preempt level; empty means the highest the device supports
 * @param launch progressive-launching parameters
 */
public record QueueOptions(String name, Optional<PreemptLevel> level, LaunchConfig launch) {
    /** Validates the components. */
    public QueueOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(launch, "launch");
    }

    /** @return options with no name, the device's highest level and the default launch config */
    public static QueueOptions defaults() {
        return new QueueOptions("", Optional.empty(), LaunchConfig.DEFAULT);
    }

    /** @param newName a label @return a copy with that name */
    public QueueOptions withName(String newName) {
        return new QueueOptions(newName, level, launch);
    }

    /** @param newLevel the preempt level @return a copy with that level */
    public QueueOptions withLevel(PreemptLevel newLevel) {
        return new QueueOptions(name, Optional.of(newLevel), launch);
    }

    /** @param newLaunch launch parameters @return a copy with them */
    public QueueOptions withLaunch(LaunchConfig newLaunch) {
        return new QueueOptions(name, level, newLaunch);
    }
}
