package xsched.policy.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Plays the scheduler engine against a policy on a simulated clock: runs the policy after each
 * scripted event and at the times it asked for (optionally waking late, as a real thread does),
 * applies its decisions, and adds up how long each queue was READY and not suspended.
 */
final class ScriptedEngine implements PolicyContext {
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
    private final Map<Long, Queue> queues = new LinkedHashMap<>();
    private final PriorityQueue<Long> timers = new PriorityQueue<>();
    private final Map<Long, Long> ran = new HashMap<>();
    private Random late;
    private long maxLateNanos;
    private long now = 1_000_000_000L;
    private long timesliceNanos;
    private int runs;
    private int mostRunningOnOneDevice;

    ScriptedEngine(SchedulingPolicy policy) {
        this.policy = policy;
    }

    /** Timers fire up to this late, drawn from a seeded generator. */
    ScriptedEngine lateBy(long maxNanos, long seed) {
        maxLateNanos = maxNanos;
        late = new Random(seed);
        return this;
    }

    ScriptedEngine open(long id, String device, long pid, QueueHints hints) {
        queues.put(id, new Queue(id, device, pid, hints));
        return schedule();
    }

    ScriptedEngine close(long id) {
        queues.remove(id);
        return schedule();
    }

    ScriptedEngine ready(long id, boolean ready) {
        Queue q = queues.get(id);
        if (ready && !q.ready) {
            q.readySince = now;
        }
        q.ready = ready;
        return schedule();
    }

    ScriptedEngine hints(long id, QueueHints hints) {
        queues.get(id).hints = hints;
        return schedule();
    }

    ScriptedEngine globalTimeslice(long nanos) {
        timesliceNanos = nanos;
        return schedule();
    }

    /** Lets simulated time pass, firing the policy's timers on the way. */
    ScriptedEngine advance(long nanos) {
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

    ScriptedEngine resetPolicy() {
        policy.reset();
        timers.clear();
        return schedule();
    }

    ScriptedEngine schedule() {
        assertThat(++runs).as("policy runs (a timer loop?)").isLessThan(1_000_000);
        List<QueueStatus> status = new ArrayList<>();
        queues.values().forEach(q -> status.add(new QueueStatus(q.id, q.device, q.pid, q.ready, q.suspended, q.readySince, q.hints)));
        policy.schedule(new SchedulerStatus(now, status, 1, -1, timesliceNanos), this);
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

    long ranNanos(long id) {
        return ran.getOrDefault(id, 0L);
    }

    void clearRan() {
        ran.clear();
    }

    boolean running(long id) {
        Queue q = queues.get(id);
        return q.ready && !q.suspended;
    }

    boolean suspended(long id) {
        return queues.get(id).suspended;
    }

    List<Long> pendingTimers() {
        return List.copyOf(timers);
    }

    /** @return the most READY queues ever left running together on one device */
    int mostRunningOnOneDevice() {
        return mostRunningOnOneDevice;
    }

    int runs() {
        return runs;
    }

    @Override
    public void suspend(long queueId) {
        queues.get(queueId).suspended = true;
    }

    @Override
    public void resume(long queueId) {
        queues.get(queueId).suspended = false;
    }

    @Override
    public void timer(long atNanos) {
        timers.add(atNanos);
    }

    @Override
    public long nanoTime() {
        return now;
    }
}
