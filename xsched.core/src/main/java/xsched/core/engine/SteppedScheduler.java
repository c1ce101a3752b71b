package xsched.core.engine;

import java.util.List;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The scheduler engine without a thread of its own. Events (queues opened, changed or closed,
 * hints, a policy switch) are queued by the methods below and take effect in the next
 * {@link #runRound()}, which handles them all, fires the timers due at the clock's time, runs the
 * policy once and applies its decisions, synchronously on the caller's thread. It is the same
 * round the runtime's scheduler thread runs, minus the watchdog: a policy that never returns
 * blocks the caller. Queues no decision mentions keep their state; with no policy, or while the
 * policy throws, every queue runs.
 *
 * <p>Not thread-safe: one thread drives it.
 *
 * <pre>{@code
 * SteppedScheduler engine = SteppedScheduler.create(clock);
 * engine.policy("hpf", new HighestPriorityFirst());
 * engine.opened(queue);
 * engine.runRound();
 * }</pre>
 */
@ProviderType
public interface SteppedScheduler {
    /**
     * @param clock the clock every round reads
     * @return an engine with no queues and no policy
     */
    static SteppedScheduler create(EngineClock clock) {
        return SchedulerEngine.manual(clock);
    }

    /** @param queue a queue to schedule from the next round on */
    void opened(ScheduledQueue queue);

    /** @param queue an open queue whose readiness may have changed; read in the next round */
    void edge(ScheduledQueue queue);

    /** @param queue an open queue to forget */
    void closed(ScheduledQueue queue);

    /**
     * Replaces every hint of one queue (process hints no longer show through it).
     *
     * @param queueId a queue, open or about to be
     * @param hints   the hints in force for it
     */
    void queueHints(long queueId, QueueHints hints);

    /** @param nanos the default timeslice the status carries, 0 for none */
    void globalTimeslice(long nanos);

    /**
     * Switches the policy: pending timers are dropped, the outgoing policy is reset, and the
     * incoming one is reset before its first decision. Naming the active policy again resets it
     * once.
     *
     * @param name   its name, for logs
     * @param policy the policy, or null for none (every queue runs)
     */
    void policy(String name, SchedulingPolicy policy);

    /**
     * Handles every queued event, fires the timers due now, runs the policy once and applies its
     * decisions and timers.
     *
     * @return what the round did
     */
    RoundResult runRound();

    /** @return the earliest time the policy asked to run again, if any */
    OptionalLong nextTimerNanos();

    /** @return every time the policy asked for that has not fired yet, earliest first */
    List<Long> pendingTimers();
}
