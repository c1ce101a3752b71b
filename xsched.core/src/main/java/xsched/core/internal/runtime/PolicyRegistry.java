package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The installed policies by name, which one is wanted, and which one the engine runs. When the
 * active policy goes away the fallback takes over; with neither, every queue runs. Each switch is
 * logged with the time the scheduler was without a policy. A policy the engine rejects (it overran
 * its deadline) is no candidate any more, and shows in the rejections, until a policy of that name
 * is installed again.
 */
final class PolicyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

    private record Installed(SchedulingPolicy policy, String bundle) {
    }

    private final SchedulerEngine engine;
    private final Rejections rejections;
    private final Map<String, Installed> byName = new TreeMap<>();
    /** Names the engine rejected, with the bundle and the reason. */
    private final Map<String, Installed> rejectedByName = new HashMap<>();
    private final Map<String, String> rejectedReasons = new HashMap<>();
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
        engine.onPolicyRejected(this::rejected);
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
        Installed stale = rejectedByName.remove(n);
        if (stale != null) {
            rejectedReasons.remove(n);
            rejections.remove("policy", n, stale.bundle());
        }
        byName.put(n, new Installed(policy, bundle));
        LOG.info("policy '{}' installed", n);
        reselect();
    }

    synchronized void remove(SchedulingPolicy policy, Object name, String bundle) {
        if (name instanceof String n && installed(n) == policy) {
            byName.remove(n);
            LOG.info("policy '{}' uninstalled", n);
            reselect();
        }
        if (name instanceof String n && rejectedByName.containsKey(n) && rejectedByName.get(n).policy() == policy) {
            rejectedByName.remove(n);
            rejectedReasons.remove(n);
        }
        rejections.remove("policy", String.valueOf(name), bundle);
    }

    /** The engine gave up on a policy: it is no candidate until a policy of that name is installed again. */
    private synchronized void rejected(String name, SchedulingPolicy policy, String reason) {
        if (name == null || installed(name) != policy) {
            return;
        }
        Installed gone = byName.remove(name);
        rejectedByName.put(name, gone);
        rejectedReasons.put(name, reason);
        rejections.add("policy", name, gone.bundle(), reason);
        if (name.equals(active)) {
            active = null;
            lostAt = System.nanoTime();
        }
        reselect();
        if (active == null && !closing) {
            LOG.warn("no scheduling policy is active after '{}' was rejected (wanted '{}', fallback '{}'); every queue runs",
                    name, wanted, fallback);
        }
    }

    private SchedulingPolicy installed(String name) {
        Installed i = byName.get(name);
        return i == null ? null : i.policy();
    }

    synchronized void configure(String newWanted, String newFallback) {
        wanted = newWanted;
        fallback = newFallback;
        reselect();
    }

    synchronized void activate(String name) {
        if (!byName.containsKey(name)) {
            String installed = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
            String reason = rejectedReasons.get(name);
            throw new IllegalArgumentException(reason != null
                    ? reason + "; install it again to use it; installed: " + installed
                    : "no policy named '" + name + "' is installed; installed: " + installed);
        }
        wanted = name;
        reselect();
    }

    private void reselect() {
        String next = byName.containsKey(wanted) ? wanted : byName.containsKey(fallback) ? fallback : null;
        if (Objects.equals(next, active)) {
            return;
        }
        String previous = active;
        active = next;
        engine.policy(next, next == null ? null : byName.get(next).policy());
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
