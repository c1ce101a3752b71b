package xsched.daemon.internal.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.XQueue;

/**
 * The launch window of the level-1 queues the daemon suspends. Such a queue stops launching when
 * suspended, but what it has already launched runs to its end first, and on a GPU shared by
 * several processes the other process's work waits for it: the driver time-slices contexts, and a
 * context with work keeps the GPU until that work ends or its time slice does. So a queue the
 * daemon suspended runs with a narrow window ({@value #PROPERTY}, default 1/1) for as long as the
 * daemon keeps suspending it, and gets its own window back once it has not been suspended for a
 * while ({@value #HOLD_PROPERTY}, default 1000 ms): a program that competes pays for the narrow
 * window, one alone on the GPU does not.
 *
 * <p>A queue at level 2 or 3 is left alone (its gate holds what it queued); so is one whose window
 * is narrower already. The daemon's own {@code Configure} of a window wins: the queue's window
 * before narrowing is forgotten. The one owner of that state; thread-safe.
 */
final class SuspendedWindows {
    /** System property: the window of a suspended level-1 queue, {@code threshold/batch}, or {@code off}. */
    static final String PROPERTY = "xsched.node.suspendedWindow";
    /** System property: milliseconds without a suspension after which a queue gets its own window back. */
    static final String HOLD_PROPERTY = "xsched.node.suspendedWindowHoldMs";
    private static final Logger LOG = LoggerFactory.getLogger(SuspendedWindows.class);
    /**
     * One command: with two, the second is queued on the stream when the first ends, and the
     * process's context keeps the GPU until its time slice ends (on the H200, a PyTorch inference
     * against 1.6 ms GEMMs: p99 up to 3.3 ms at 2/1; see docs/benchmarks/cuda-h200.md).
     */
    private static final LaunchConfig DEFAULT_NARROW = new LaunchConfig(1, 1);
    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(1);

    /** A narrowed queue: its own window, and when the daemon last suspended it. */
    private record Narrowed(LaunchConfig own, long lastSuspendedNanos) {
    }

    /** The narrow window, or null when narrowing is off. */
    private final LaunchConfig narrow;
    private final long holdNanos;
    private final Map<Long, Narrowed> narrowed = new HashMap<>();

    /**
     * @param narrow the window of a suspended queue, or null for none (queues keep theirs)
     * @param hold   how long after its last suspension a queue keeps the narrow window
     */
    SuspendedWindows(LaunchConfig narrow, Duration hold) {
        if (hold.isNegative()) {
            throw new IllegalArgumentException("the hold must not be negative, not " + hold);
        }
        this.narrow = narrow;
        this.holdNanos = hold.toNanos();
    }

    /** @return the settings of the system properties; a malformed one is said and its default used */
    static SuspendedWindows fromSystemProperties() {
        LaunchConfig narrow = DEFAULT_NARROW;
        String text = System.getProperty(PROPERTY);
        if (text != null && !text.isBlank()) {
            narrow = parse(text.strip());
        }
        // at most a day: the hold is kept in nanoseconds
        Duration hold = Duration.ofMillis(MillisProperty.parse(HOLD_PROPERTY, System.getProperty(HOLD_PROPERTY), 0, 86_400_000,
                DEFAULT_HOLD.toMillis()));
        return new SuspendedWindows(narrow, hold);
    }

    private static LaunchConfig parse(String text) {
        if (text.equalsIgnoreCase("off")) {
            return null;
        }
        try {
            return LaunchConfig.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("{} must be a launch window or off: {}; {} it is", PROPERTY, e.getMessage(), DEFAULT_NARROW.describe());
            return DEFAULT_NARROW;
        }
    }

    /**
     * The daemon suspended a queue: a level-1 queue with a wider window gets the narrow one.
     *
     * @param q   the queue
     * @param now the time, in {@link System#nanoTime()}'s terms
     */
    synchronized void suspended(XQueue q, long now) {
        if (narrow == null) {
            return;
        }
        Narrowed n = narrowed.get(q.id());
        if (n != null) {
            narrowed.put(q.id(), new Narrowed(n.own(), now));
            return;
        }
        LaunchConfig own = q.launchConfig();
        if (q.level() != PreemptLevel.LAUNCH || own.threshold() <= narrow.threshold()) {
            return;
        }
        q.launchConfig(new LaunchConfig(narrow.threshold(), Math.min(narrow.batchSize(), own.batchSize())));
        narrowed.put(q.id(), new Narrowed(own, now));
    }

    /**
     * The daemon configures a queue's window: what it sets is the queue's own window from now on.
     *
     * @param queueId the queue
     * @return the queue's own window when it had the narrow one (what the daemon leaves unchanged
     *         comes from there), else empty
     */
    synchronized Optional<LaunchConfig> configured(long queueId) {
        Narrowed n = narrowed.remove(queueId);
        return n == null ? Optional.empty() : Optional.of(n.own());
    }

    /**
     * Gives their own window back to the queues not suspended for the hold, and forgets closed ones.
     *
     * @param now    the time, in {@link System#nanoTime()}'s terms
     * @param queues the runtime's queues by id
     */
    synchronized void expire(long now, LongFunction<Optional<XQueue>> queues) {
        for (Iterator<Map.Entry<Long, Narrowed>> it = narrowed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Narrowed> e = it.next();
            Optional<XQueue> q = queues.apply(e.getKey());
            if (q.isEmpty()) {
                it.remove();
            } else if (q.get().suspended()) {
                e.setValue(new Narrowed(e.getValue().own(), now)); // the hold counts from the end of the suspension
            } else if (now - e.getValue().lastSuspendedNanos() >= holdNanos) {
                restore(q.get(), e.getValue().own());
                it.remove();
            }
        }
    }

    /**
     * Gives every narrowed queue its own window back (the daemon is gone).
     *
     * @param queues the runtime's queues by id
     */
    synchronized void restoreAll(LongFunction<Optional<XQueue>> queues) {
        narrowed.forEach((id, n) -> queues.apply(id).ifPresent(q -> restore(q, n.own())));
        narrowed.clear();
    }

    private static void restore(XQueue q, LaunchConfig own) {
        try {
            q.launchConfig(own);
        } catch (RuntimeException e) {
            LOG.debug("queue {} keeps its narrow window: {}", q.id(), e.toString());
        }
    }

    /** @return how many queues have the narrow window now */
    synchronized int narrowedCount() {
        return narrowed.size();
    }
}
