package xsched.core.internal.sched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Hint;
import xsched.core.internal.queue.ManagedQueue;
import xsched.core.internal.queue.QueueListener;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The scheduler: one thread that batches queue edges, hints, timer firings and policy changes,
 * runs the active policy once per batch, and applies its decisions. Queues reach it only through
 * {@link QueueListener} (lock-free enqueue); it reaches queues only through {@link ManagedQueue},
 * so either side may live in another process. With no policy bound, every queue runs.
 */
public final class SchedulerEngine implements QueueListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEngine.class);

    private sealed interface Event {
    }

    private record Opened(ManagedQueue queue) implements Event {
    }

    private record Edge(ManagedQueue queue) implements Event {
    }

    private record Closed(ManagedQueue queue) implements Event {
    }

    private record HintGiven(Hint hint) implements Event {
    }

    private record PolicyChange(String name, SchedulingPolicy policy) implements Event {
    }

    private record Barrier(CountDownLatch latch) implements Event {
    }

    private static final class Tracked {
        final ManagedQueue queue;
        boolean ready;
        long readySince;

        Tracked(ManagedQueue queue) {
            this.queue = queue;
        }
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final Map<Long, Tracked> queues = new LinkedHashMap<>();
    private final HintBook hints = new HintBook();
    private final PriorityQueue<Long> timers = new PriorityQueue<>();
    private SchedulingPolicy policy;
    private boolean policyFailing;
    private volatile String policyName;
    private final Map<Long, QueueHints> published = new ConcurrentHashMap<>();
    private final AtomicLong runs = new AtomicLong();

    /** Starts the scheduler thread. */
    public SchedulerEngine() {
        thread = Thread.ofPlatform().daemon().name("xsched-scheduler").start(this::loop);
    }

    /** @param queue a queue to schedule from now on */
    public void opened(ManagedQueue queue) {
        offer(new Opened(queue));
    }

    @Override
    public void edge(ManagedQueue queue) {
        offer(new Edge(queue));
    }

    @Override
    public void closed(ManagedQueue queue) {
        offer(new Closed(queue));
    }

    /** @param hint a validated hint */
    public void hint(Hint hint) {
        offer(new HintGiven(hint));
    }

    /**
     * Switches the active policy.
     *
     * @param name   its name, or null
     * @param policy the policy, or null for none (every queue runs)
     */
    public void policy(String name, SchedulingPolicy policy) {
        offer(new PolicyChange(name, policy));
    }

    /** @return the name of the active policy, or null */
    public String policyName() {
        return policyName;
    }

    /**
     * @param queueId a queue
     * @return the hints in force for it, as of the last handled event
     */
    public QueueHints hintsOf(long queueId) {
        return published.getOrDefault(queueId, QueueHints.NONE);
    }

    /** @return how many times a policy ran */
    public long runs() {
        return runs.get();
    }

    /**
     * Waits until every event offered before this call has been handled and its decisions applied.
     *
     * @throws InterruptedException when interrupted
     */
    public void sync() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        offer(new Barrier(latch));
        latch.await();
    }

    private void offer(Event event) {
        events.add(event);
        LockSupport.unpark(thread);
    }

    private void loop() {
        List<CountDownLatch> barriers = new ArrayList<>();
        while (running) {
            boolean dirty = false;
            Event event;
            while ((event = events.poll()) != null) {
                dirty |= handle(event, barriers);
            }
            long now = System.nanoTime();
            while (!timers.isEmpty() && timers.peek() <= now) {
                timers.poll();
                dirty = true;
            }
            if (dirty) {
                schedule(now);
            }
            barriers.forEach(CountDownLatch::countDown);
            barriers.clear();
            if (events.isEmpty() && running) {
                if (timers.isEmpty()) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, timers.peek() - System.nanoTime());
                }
            }
        }
    }

    private boolean handle(Event event, List<CountDownLatch> barriers) {
        switch (event) {
            case Opened(ManagedQueue queue) -> {
                Tracked t = new Tracked(queue);
                queues.put(queue.id(), t);
                published.put(queue.id(), hints.effective(queue.id(), queue.pid()));
                track(t);
            }
            case Edge(ManagedQueue queue) -> {
                Tracked t = queues.get(queue.id());
                if (t == null) {
                    return false;
                }
                track(t);
            }
            case Closed(ManagedQueue queue) -> {
                queues.remove(queue.id());
                hints.forgetQueue(queue.id());
                published.remove(queue.id());
            }
            case HintGiven(Hint hint) -> {
                hints.apply(hint);
                queues.values().forEach(t -> published.put(t.queue.id(), hints.effective(t.queue.id(), t.queue.pid())));
                if (policy != null) {
                    try {
                        policy.hint(hint);
                    } catch (RuntimeException e) {
                        LOG.warn("policy {} failed on hint {}", policyName, hint, e);
                    }
                }
            }
            case PolicyChange(String name, SchedulingPolicy next) -> switchPolicy(name, next);
            case Barrier(CountDownLatch latch) -> {
                barriers.add(latch);
                return false;
            }
        }
        return true;
    }

    private void track(Tracked t) {
        boolean ready = t.queue.ready();
        if (ready && !t.ready) {
            t.readySince = System.nanoTime();
        }
        t.ready = ready;
    }

    private void switchPolicy(String name, SchedulingPolicy next) {
        if (policy != null) {
            resetQuietly(policy);
        }
        timers.clear();
        policyFailing = false;
        policy = next;
        policyName = name;
        if (next != null) {
            resetQuietly(next);
        }
    }

    private void resetQuietly(SchedulingPolicy p) {
        try {
            p.reset();
        } catch (RuntimeException e) {
            LOG.warn("policy reset failed", e);
        }
    }

    private void schedule(long now) {
        if (policy == null) {
            queues.values().forEach(t -> apply(t.queue, true));
            return;
        }
        List<QueueStatus> status = new ArrayList<>(queues.size());
        for (Tracked t : queues.values()) {
            status.add(new QueueStatus(t.queue.id(), t.queue.deviceId(), t.queue.pid(), t.ready,
                    t.queue.suspended(), t.readySince, hints.effective(t.queue.id(), t.queue.pid())));
        }
        Decisions decisions = new Decisions(now, timers);
        try {
            policy.schedule(new SchedulerStatus(now, status, hints.k(), hints.activeWindowPid(), hints.timesliceNanos()), decisions);
        } catch (RuntimeException e) {
            if (!policyFailing) {
                LOG.error("policy {} failed; letting every queue run until it works again", policyName, e);
            } else {
                LOG.debug("policy {} failed again", policyName, e);
            }
            policyFailing = true;
            queues.values().forEach(t -> apply(t.queue, true));
            return;
        }
        if (policyFailing) {
            LOG.info("policy {} works again", policyName);
            policyFailing = false;
        }
        runs.incrementAndGet();
        decisions.decided().forEach((id, run) -> {
            if (!run) {
                apply(queues.get(id), false);
            }
        });
        decisions.decided().forEach((id, run) -> {
            if (run) {
                apply(queues.get(id), true);
            }
        });
    }

    private void apply(Tracked t, boolean run) {
        if (t != null) {
            apply(t.queue, run);
        }
    }

    private void apply(ManagedQueue queue, boolean run) {
        try {
            if (run && queue.suspended()) {
                queue.resume();
            } else if (!run && !queue.suspended()) {
                queue.suspend();
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot {} queue {}", run ? "resume" : "suspend", queue.id(), e);
        }
    }

    /** Stops the scheduler thread; every queue it knows is resumed. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queues.values().forEach(t -> apply(t.queue, true));
    }
}
