package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The installed policies by name, which one is wanted, and which one the engine runs. When the
 * active policy goes away the fallback takes over; with neither, every queue runs. Each switch is
 * logged with the time the scheduler was without a policy.
 */
final class PolicyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

    private final SchedulerEngine engine;
    private final Rejections rejections;
    private final Map<String, SchedulingPolicy> byName = new TreeMap<>();
    private String wanted;
    private String fallback;
    private String active;
    /** When the last active policy went away; -1 before any policy was active. */
    private long lostAt = -1;
    private long longestGapNanos;
    private boolean closing;

    PolicyRegistry(SchedulerEngine engine, Rejections rejections, String wanted, String fallback) {
        this.engine = engine;
        this.rejections = rejections;
        this.wanted = wanted;
        this.fallback = fallback;
    }

    synchronized void add(SchedulingPolicy policy, Object name, String bundle) {
        if (!(name instanceof String n) || n.isBlank()) {
            rejections.add("policy", String.valueOf(name), bundle, "no " + SchedulingPolicy.NAME + " service property");
            return;
        }
        if (byName.containsKey(n)) {
            rejections.add("policy", n, bundle, "a policy named '" + n + "' is already installed");
            return;
        }
        byName.put(n, policy);
        LOG.info("policy '{}' installed", n);
        reselect();
    }

    synchronized void remove(SchedulingPolicy policy, Object name, String bundle) {
        if (name instanceof String n && byName.get(n) == policy) {
            byName.remove(n);
            LOG.info("policy '{}' uninstalled", n);
            reselect();
        }
        rejections.remove("policy", String.valueOf(name), bundle);
    }

    synchronized void configure(String newWanted, String newFallback) {
        wanted = newWanted;
        fallback = newFallback;
        reselect();
    }

    synchronized void activate(String name) {
        if (!byName.containsKey(name)) {
            throw new IllegalArgumentException("no policy named '" + name + "' is installed; installed: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
        }
        wanted = name;
        reselect();
    }

    private void reselect() {
        String next = byName.containsKey(wanted) ? wanted : byName.containsKey(fallback) ? fallback : null;
        if (java.util.Objects.equals(next, active)) {
            return;
        }
        String previous = active;
        active = next;
        engine.policy(next, next == null ? null : byName.get(next));
        long now = System.nanoTime();
        if (next == null) {
            lostAt = now;
            if (closing) {
                return;
            }
            LOG.warn("no scheduling policy is active (wanted '{}', fallback '{}'); every queue runs", wanted, fallback);
        } else if (previous == null && lostAt < 0) {
            LOG.info("policy '{}' active", next);
        } else if (previous == null) {
            long gap = now - lostAt;
            longestGapNanos = Math.max(longestGapNanos, gap);
            LOG.info("policy '{}' active; the scheduler was without a policy for {} µs", next, gap / 1000);
        } else {
            LOG.info("policy '{}' replaces '{}' with no gap", next, previous);
        }
    }

    /** The runtime is shutting down: policies leaving now is expected, not a gap worth a warning. */
    synchronized void closing() {
        closing = true;
    }

    synchronized String active() {
        return active;
    }

    synchronized List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    synchronized long longestGapNanos() {
        return longestGapNanos;
    }
}
