package xsched.core.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The clock the scheduler engine reads wherever it needs the time: when a queue turned READY,
 * which timers are due, and the {@code nanoTime} of each status it hands a policy.
 */
@ConsumerType
@FunctionalInterface
public interface EngineClock {
    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    EngineClock SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds; monotonic, any origin */
    long nanoTime();
}
