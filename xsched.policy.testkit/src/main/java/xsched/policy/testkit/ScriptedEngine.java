package xsched.policy.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import xsched.core.engine.RoundResult;
import xsched.core.engine.ScheduledQueue;
import xsched.core.engine.SteppedScheduler;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Drives the real scheduler engine ({@link SteppedScheduler}, the round the runtime's scheduler
 * thread runs) against a policy on a simulated clock: one round after each scripted event and at
 * the times the policy asked for (optionally waking late, as a real thread does). Its queues are
 * fakes that the engine suspends and resumes; it adds up how long each queue was READY and not
 * suspended.
 *
 * <p>The clock starts at 1 s. Every scripting method runs one round once the event is queued and
 * returns the engine, so events chain:
 *
 * <pre>{@code
 * ScriptedEngine engine = new ScriptedEngine(policy);
 * engine.openReady(1, "gpu", 1, Hints.utilization(70)).openReady(2, "gpu", 2, Hints.utilization(30));
 * engine.advance(3_000_000_000L);
 * assertThat(engine.ranPercent(1, 3_000_000_000L)).isCloseTo(70, within(3.0));
 * }</pre>
 *
 * <p>As in the runtime, the policy is reset before its first decision, and a round fires every
 * timer due by then. Whatever the policy throws fails the script with an {@link AssertionError}
 * (the engine itself would let every queue run); so does a runaway policy (more than a million
 * runs, typically a timer that keeps firing at the current time).
 */
public final class ScriptedEngine {
    private static final int MAX_RUNS = 1_000_000;
    private static final String POLICY_NAME = "under test";

    /** A queue with nothing behind it: the script sets its readiness, the engine its suspension. */
    private static final class Queue implements ScheduledQueue {
        final long id;
        final String device;
        final long pid;
        boolean ready;
        boolean suspended;

        Queue(long id, String device, long pid) {
            this.id = id;
            this.device = device;
            this.pid = pid;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String deviceId() {
            return device;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public boolean suspended() {
            return suspended;
        }

        @Override
        public void suspend() {
            suspended = true;
        }

        @Override
        public void resume() {
            suspended = false;
        }
    }

    private final SchedulingPolicy policy;
    private final SteppedScheduler engine;
    private final Map<Long, Queue> queues = new LinkedHashMap<>();
    private final Map<Long, Long> ran = new HashMap<>();
    private Random late;
    private long maxLateNanos;
    private long now = 1_000_000_000L;
    private int runs;
    private int mostRunningOnOneDevice;

    /** @param policy the policy under test; the engine calls it, never the other way round */
    public ScriptedEngine(SchedulingPolicy policy) {
        this.policy = policy;
        this.engine = SteppedScheduler.create(() -> now);
        engine.policy(POLICY_NAME, policy);
    }

    /**
     * Makes timers fire up to {@code maxNanos} late, by amounts drawn from a generator seeded
     * with {@code seed} (so a run is repeatable).
     *
     * @param maxNanos the most a timer fires late
     * @param seed     seed of the generator
     * @return this
     */
    public ScriptedEngine lateBy(long maxNanos, long seed) {
        maxLateNanos = maxNanos;
        late = new Random(seed);
        return this;
    }

    /**
     * Opens an idle queue and runs a round.
     *
     * @param id     queue id, unique among open queues
     * @param device device id
     * @param pid    owning process
     * @param hints  hints in force
     * @return this
     */
    public ScriptedEngine open(long id, String device, long pid, QueueHints hints) {
        Queue q = new Queue(id, device, pid);
        queues.put(id, q);
        engine.queueHints(id, hints);
        engine.opened(q);
        return schedule();
    }

    /**
     * Opens a queue and makes it READY: {@link #open} then {@link #ready ready(id, true)}, so the
     * policy runs twice.
     *
     * @param id     queue id, unique among open queues
     * @param device device id
     * @param pid    owning process
     * @param hints  hints in force
     * @return this
     */
    public ScriptedEngine openReady(long id, String device, long pid, QueueHints hints) {
        return open(id, device, pid, hints).ready(id, true);
    }

    /**
     * Closes a queue and runs a round.
     *
     * @param id an open queue
     * @return this
     */
    public ScriptedEngine close(long id) {
        engine.closed(queues.remove(id));
        return schedule();
    }

    /**
     * Sets whether a queue has work and runs a round; turning READY starts its
     * {@code readySinceNanos} at the current time.
     *
     * @param id    an open queue
     * @param ready whether it has work
     * @return this
     */
    public ScriptedEngine ready(long id, boolean ready) {
        Queue q = queues.get(id);
        q.ready = ready;
        engine.edge(q);
        return schedule();
    }

    /**
     * Replaces a queue's hints and runs a round.
     *
     * @param id    an open queue
     * @param hints the new hints
     * @return this
     */
    public ScriptedEngine hints(long id, QueueHints hints) {
        engine.queueHints(queues.get(id).id, hints);
        return schedule();
    }

    /**
     * Sets the global timeslice the status carries and runs a round.
     *
     * @param nanos the timeslice, 0 for none
     * @return this
     */
    public ScriptedEngine globalTimeslice(long nanos) {
        engine.globalTimeslice(nanos);
        return schedule();
    }

    /**
     * Lets simulated time pass, firing the policy's timers on the way: at each due timer (plus
     * the lateness set by {@link #lateBy}) the clock stops and a round runs, which drops every
     * timer due by then.
     *
     * @param nanos how long
     * @return this
     */
    public ScriptedEngine advance(long nanos) {
        long until = now + nanos;
        for (OptionalLong next = engine.nextTimerNanos(); next.isPresent(); next = engine.nextTimerNanos()) {
            long fire = Math.max(now, next.getAsLong() + (late == null ? 0 : (long) (late.nextDouble() * maxLateNanos)));
            if (fire > until) {
                break;
            }
            elapse(fire - now);
            schedule();
        }
        elapse(until - now);
        return this;
    }

    /**
     * Does what the engine does when this policy is activated again: drops the pending timers,
     * calls {@link SchedulingPolicy#reset()} and runs a round.
     *
     * @return this
     */
    public ScriptedEngine resetPolicy() {
        engine.policy(POLICY_NAME, policy);
        return schedule();
    }

    /**
     * Runs one round: the events scripted so far, the timers due now, the policy once, its
     * decisions and timers applied.
     *
     * @return this
     * @throws AssertionError when the policy threw, or once it has run a million times
     */
    public ScriptedEngine schedule() {
        if (++runs >= MAX_RUNS) {
            throw new AssertionError("policy runs (a timer loop?): " + runs);
        }
        RoundResult round = engine.runRound();
        if (round.failure() != null) {
            throw new AssertionError("the policy failed at " + now + " ns: " + round.failure(), round.failure());
        }
        Map<String, Integer> running = new HashMap<>();
        queues.values().stream().filter(q -> q.ready && !q.suspended).forEach(q -> running.merge(q.device, 1, Integer::sum));
        running.values().forEach(n -> mostRunningOnOneDevice = Math.max(mostRunningOnOneDevice, n));
        return this;
    }

    private void elapse(long nanos) {
        for (Queue q : queues.values()) {
            if (q.ready && !q.suspended) {
                ran.merge(q.id, nanos, Long::sum);
            }
        }
        now += nanos;
    }

    /**
     * @param id a queue
     * @return how long it was READY and not suspended since the start or the last
     *         {@link #clearRan()}, in nanoseconds
     */
    public long ranNanos(long id) {
        return ran.getOrDefault(id, 0L);
    }

    /**
     * @param id           a queue
     * @param elapsedNanos the time to compare with, usually what was {@linkplain #advance advanced}
     * @return {@link #ranNanos} as a percentage of {@code elapsedNanos}
     */
    public double ranPercent(long id, long elapsedNanos) {
        return 100.0 * ranNanos(id) / elapsedNanos;
    }

    /** Starts the run-time accounting of every queue afresh. */
    public void clearRan() {
        ran.clear();
    }

    /**
     * @param id an open queue
     * @return whether it is READY and not suspended
     */
    public boolean running(long id) {
        Queue q = queues.get(id);
        return q.ready && !q.suspended;
    }

    /**
     * @param id an open queue
     * @return whether the policy left it suspended
     */
    public boolean suspended(long id) {
        return queues.get(id).suspended;
    }

    /** @return the times the policy asked for that have not fired yet, earliest first */
    public List<Long> pendingTimers() {
        return engine.pendingTimers();
    }

    /** @return the most READY queues ever left running together on one device */
    public int mostRunningOnOneDevice() {
        return mostRunningOnOneDevice;
    }

    /** @return how many times the policy has run */
    public int runs() {
        return runs;
    }

    /** @return the simulated clock, nanoseconds */
    public long nanoTime() {
        return now;
    }
}
