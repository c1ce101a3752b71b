package xsched.core.internal.sched;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Gives every policy call a deadline. The call runs on the scheduler thread itself; this class's
 * own thread only watches the call in progress and, once the deadline has passed, abandons it and
 * reports the overrun, upon which the engine hands the scheduling role to a fresh thread. The
 * stuck thread is interrupted and left behind; if it ever comes back, {@link #call} throws
 * {@link CallAbandoned} so that it leaves without touching the scheduler's state or applying its
 * decisions.
 *
 * <p>Why not a policy thread that the scheduler waits on: every decision would then cost two
 * thread hand-offs (there and back), on the path from a queue edge to a suspend or resume that
 * the scheduler-decision benchmark measures. Here the normal path costs a volatile write or two
 * and a compare-and-set. The watchdog does not wake per call either: while calls keep coming it
 * wakes once per deadline; after a quiet deadline it parks until the next call unparks it.
 *
 * <p>The deadline is wall time ({@link System#nanoTime()}), whatever clock the engine schedules
 * by; 0 or less turns the watchdog off (calls run directly, e.g. while a policy is debugged). A
 * call past its deadline whose thread is runnable but has hardly had the CPU (a loaded machine, a
 * GC pause) is given up to ten deadlines more before it is abandoned: a healthy policy is not
 * rejected because the machine stalled. One that waits or computes past its deadline is abandoned
 * then.
 */
final class PolicyWatchdog implements PolicyCalls, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatchdog.class);
    private static final long MIN_LINGER_NANOS = 1_000_000;
    private static final int STARVED_GRACE = 10;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private final BiConsumer<PolicyCall, String> overrun;
    private final Thread thread;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong stuck = new AtomicLong();
    private volatile long deadlineNanos;
    private volatile PolicyCall current;
    private volatile boolean idle;
    private volatile boolean closed;

    /**
     * @param deadlineNanos how long a call may take; 0 or less for no limit
     * @param overrun       told of each abandoned call with the reason, on the watchdog's thread
     */
    PolicyWatchdog(long deadlineNanos, BiConsumer<PolicyCall, String> overrun) {
        this.deadlineNanos = deadlineNanos;
        this.overrun = overrun;
        this.thread = Thread.ofPlatform().daemon().name("xsched-policy-watchdog").start(this::watch);
    }

    void deadlineNanos(long nanos) {
        deadlineNanos = nanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** @return calls abandoned so far */
    long abandoned() {
        return abandoned.get();
    }

    /** @return threads left behind in an abandoned call that have not come back yet */
    long stuck() {
        return stuck.get();
    }

    @Override
    public Throwable call(SchedulingPolicy policy, String name, String what, Runnable body) {
        if (deadlineNanos <= 0) {
            return DIRECT.call(policy, name, what, body);
        }
        PolicyCall call = new PolicyCall(policy, name, what);
        started.incrementAndGet();
        current = call;
        if (idle) {
            idle = false;
            LockSupport.unpark(thread);
        }
        Throwable failure = DIRECT.call(policy, name, what, body);
        if (!call.returned()) {
            long left = stuck.decrementAndGet();
            LOG.warn("policy '{}' came back from '{}' after it was abandoned; what it decided is dropped ({} threads still stuck)",
                    name, what, left);
            throw CallAbandoned.INSTANCE;
        }
        current = null;
        return failure;
    }

    private boolean busy() {
        PolicyCall c = current;
        return c != null && c.running();
    }

    private void watch() {
        PolicyCall observed = null;
        long observedAt = 0;
        long cpuAtObserve = -1;
        while (!closed) {
            PolicyCall c = current;
            long deadline = deadlineNanos;
            if (c != null && c.running() && deadline > 0) {
                if (c != observed) {
                    observed = c;
                    observedAt = System.nanoTime();
                    cpuAtObserve = cpuNanos(c.thread());
                }
                long now = System.nanoTime();
                long left = c.startedNanos() + deadline - now;
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                } else if (starved(c, now, observedAt, cpuAtObserve, deadline)) {
                    LockSupport.parkNanos(this, deadline / 4);
                } else if (c.abandon()) {
                    overran(c, deadline);
                }
                continue;
            }
            long seen = started.get();
            LockSupport.parkNanos(this, Math.max(deadline, MIN_LINGER_NANOS));
            if (!busy() && started.get() == seen && !closed) {
                idle = true;
                if (!busy() && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
            }
        }
    }

    /**
     * A call past its deadline whose thread is runnable but has hardly had the CPU since the
     * watchdog first saw it is starved (a loaded machine, a long GC pause), not stuck: it gets up
     * to {@link #STARVED_GRACE} deadlines more. A thread that waits, or that has been computing,
     * is stuck.
     */
    private static boolean starved(PolicyCall c, long now, long observedAt, long cpuAtObserve, long deadline) {
        if (now - c.startedNanos() >= STARVED_GRACE * deadline || cpuAtObserve < 0) {
            return false;
        }
        Thread t = c.thread();
        if (t.getState() != Thread.State.RUNNABLE) {
            return false;
        }
        long cpu = cpuNanos(t);
        return cpu >= 0 && cpu - cpuAtObserve < (now - observedAt) / 2;
    }

    private static long cpuNanos(Thread t) {
        try {
            return THREADS.isThreadCpuTimeEnabled() ? THREADS.getThreadCpuTime(t.threadId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    private void overran(PolicyCall c, long deadline) {
        abandoned.incrementAndGet();
        long nowStuck = stuck.incrementAndGet();
        String reason = "policy '" + c.name() + "' did not " + c.what() + " within " + duration(deadline) + "; rejected";
        LOG.error("{}. Its thread {} is left behind ({} stuck); scheduling goes on without it", reason, c.thread().getName(), nowStuck);
        c.thread().interrupt();
        try {
            overrun.accept(c, reason);
        } catch (Throwable t) {
            LOG.error("could not hand the scheduler over after '{}' overran", c.name(), t);
        }
    }

    private static String duration(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos / 1_000 + " µs";
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
