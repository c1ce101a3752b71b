package xsched.policy.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Plays the scheduler engine against a policy on a simulated clock: runs the policy after each
 * scripted event and at the times it asked for (optionally waking late, as a real thread does),
 * applies its decisions, and adds up how long each queue was READY and not suspended.
 *
 * <p>The clock starts at 1 s. Every scripting method runs the policy once the event is applied
 * and returns the engine, so events chain:
 *
 * <pre>{@code
 * ScriptedEngine engine = new ScriptedEngine(policy);
 * engine.openReady(1, "gpu", 1, Hints.utilization(70)).openReady(2, "gpu", 2, Hints.utilization(30));
 * engine.advance(3_000_000_000L);
 * assertThat(engine.ranPercent(1, 3_000_000_000L)).isCloseTo(70, within(3.0));
 * }</pre>
 *
 * <p>A runaway policy (more than a million runs, typically a timer that keeps firing at the
 * current time) fails with an {@link AssertionError}.
 */
public final class ScriptedEngine {
    private static final int MAX_RUNS = 1_000_000;

    private static final class Queue {
        final long id;
        final String device;
        final long pid;
        boolean ready;
        boolean suspended;
        long readySince;
        QueueHints hints;

        Queue(long id, String device, long pid, QueueHints hints) {
            this.id = id;
            this.device = device;
            this.pid = pid;
            this.hints = hints;
        }
    }

    private final SchedulingPolicy policy;
    private final RecordingContext context = new RecordingContext();
    private final Map<Long, Queue> queues = new LinkedHashMap<>();
    private final PriorityQueue<Long> timers = new PriorityQueue<>();
    private final Map<Long, Long> ran = new HashMap<>();
    private Random late;
    private long maxLateNanos;
    private long now = 1_000_000_000L;
    private long timesliceNanos;
    private int runs;
    private int mostRunningOnOneDevice;

    /** @param policy the policy under test; the engine calls it, never the other way round */
    public ScriptedEngine(SchedulingPolicy policy) {
        this.policy = policy;
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
     * Opens an idle queue and runs the policy.
     *
     * @param id     queue id, unique among open queues
     * @param device device id
     * @param pid    owning process
     * @param hints  hints in force
     * @return this
     */
    public ScriptedEngine open(long id, String device, long pid, QueueHints hints) {
        queues.put(id, new Queue(id, device, pid, hints));
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
     * Closes a queue and runs the policy.
     *
     * @param id an open queue
     * @return this
     */
    public ScriptedEngine close(long id) {
        queues.remove(id);
        return schedule();
    }

    /**
     * Sets whether a queue has work and runs the policy; turning READY starts its
     * {@code readySinceNanos} at the current time.
     *
     * @param id    an open queue
     * @param ready whether it has work
     * @return this
     */
    public ScriptedEngine ready(long id, boolean ready) {
        Queue q = queues.get(id);
        if (ready && !q.ready) {
            q.readySince = now;
        }
        q.ready = ready;
        return schedule();
    }

    /**
     * Replaces a queue's hints and runs the policy.
     *
     * @param id    an open queue
     * @param hints the new hints
     * @return this
     */
    public ScriptedEngine hints(long id, QueueHints hints) {
        queues.get(id).hints = hints;
        return schedule();
    }

    /**
     * Sets the global timeslice the status carries and runs the policy.
     *
     * @param nanos the timeslice, 0 for none
     * @return this
     */
    public ScriptedEngine globalTimeslice(long nanos) {
        timesliceNanos = nanos;
        return schedule();
    }

    /**
     * Lets simulated time pass, firing the policy's timers on the way: at each due timer (plus
     * the lateness set by {@link #lateBy}) the clock stops, every timer due by then is dropped and
     * the policy runs.
     *
     * @param nanos how long
     * @return this
     */
    public ScriptedEngine advance(long nanos) {
        long until = now + nanos;
        while (!timers.isEmpty()) {
            long fire = Math.max(now, timers.peek() + (late == null ? 0 : (long) (late.nextDouble() * maxLateNanos)));
            if (fire > until) {
                break;
            }
            elapse(fire - now);
            while (!timers.isEmpty() && timers.peek() <= now) {
                timers.poll();
            }
            schedule();
        }
        elapse(until - now);
        return this;
    }

    /**
     * Does what the engine does on a policy switch: calls {@link SchedulingPolicy#reset()}, drops
     * the pending timers and runs the policy.
     *
     * @return this
     */
    public ScriptedEngine resetPolicy() {
        policy.reset();
        timers.clear();
        return schedule();
    }

    /**
     * Runs the policy once on the current status and applies its decisions and timers.
     *
     * @return this
     * @throws AssertionError once the policy has run a million times
     */
    public ScriptedEngine schedule() {
        if (++runs >= MAX_RUNS) {
            throw new AssertionError("policy runs (a timer loop?): " + runs);
        }
        List<QueueStatus> status = new ArrayList<>();
        queues.values().forEach(q -> status.add(new QueueStatus(q.id, q.device, q.pid, q.ready, q.suspended, q.readySince, q.hints)));
        policy.schedule(new SchedulerStatusBuilder(status).at(now).timeslice(timesliceNanos).build(), context.clear().at(now));
        context.decided().forEach((id, resumed) -> queues.get(id).suspended = !resumed);
        timers.addAll(context.timers());
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

    /** @return the times the policy asked for that have not fired yet, in no particular order */
    public List<Long> pendingTimers() {
        return List.copyOf(timers);
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
