package xsched.core.internal.sched;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Hint;
import xsched.core.engine.EngineClock;
import xsched.core.engine.ScheduledQueue;
import xsched.core.engine.SteppedScheduler;
import xsched.core.internal.queue.QueueListener;
import xsched.core.internal.sched.EngineEvent.Barrier;
import xsched.core.internal.sched.EngineEvent.Closed;
import xsched.core.internal.sched.EngineEvent.Edge;
import xsched.core.internal.sched.EngineEvent.HintGiven;
import xsched.core.internal.sched.EngineEvent.Opened;
import xsched.core.internal.sched.EngineEvent.PolicyChange;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The scheduler: one thread that batches queue edges, hints, timer firings and policy changes,
 * runs the active policy once per batch, and applies its decisions ({@link SchedulerCore}'s
 * round). Queues reach it only through {@link QueueListener} (lock-free enqueue); it reaches queues
 * only through {@link ScheduledQueue}, so either side may live in another process. With no policy
 * bound, or while the policy throws, every queue runs.
 *
 * <p>No policy can stall it: a {@link PolicyWatchdog} abandons a call that overruns the deadline,
 * the policy is rejected for good (the {@link RejectionListener} is told, so the runtime can fall
 * back), every queue is resumed, and a fresh thread carries on with the events queued meanwhile.
 * So there is at most one thread per abandoned call, and the old one, should it come back, leaves.
 */
public final class SchedulerEngine implements QueueListener, AutoCloseable {
    /** How long a policy call may take unless told otherwise. */
    public static final Duration DEFAULT_POLICY_DEADLINE = Duration.ofMillis(100);
    /** System property: microseconds the scheduler thread polls for events before parking. */
    public static final String SPIN_PROPERTY = "xsched.scheduler.spin.us";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEngine.class);

    private final EngineClock clock;
    private final PolicyWatchdog watchdog;
    private final SchedulerCore core;
    private final AtomicInteger threads = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread owner;
    private volatile boolean running = true;
    /**
     * How long the scheduler thread polls for the next event before it parks: a thread that parks
     * pays the operating system's wake-up on the next event (tens to hundreds of microseconds on a
     * virtual machine), one that polls pays CPU. 0 (the default) parks at once; system property
     * {@value #SPIN_PROPERTY} in microseconds, or {@link #spinNanos(long)}.
     */
    private volatile long spinNanos = Long.getLong(SPIN_PROPERTY, 0) * 1_000;
    private volatile RejectionListener rejectionListener = (name, policy, reason) -> { };

    /** Starts the scheduler thread on the system clock with the default policy deadline. */
    public SchedulerEngine() {
        this(EngineClock.SYSTEM, DEFAULT_POLICY_DEADLINE);
    }

    /**
     * Starts the scheduler thread.
     *
     * @param clock          the clock decisions and timers use; the thread sleeps until the next
     *                       timer by the difference on this clock
     * @param policyDeadline how long a policy call may take before it is abandoned and the policy
     *                       rejected; zero or negative for no limit
     */
    public SchedulerEngine(EngineClock clock, Duration policyDeadline) {
        this.clock = clock;
        this.watchdog = new PolicyWatchdog(policyDeadline.toNanos(), this::takeOver);
        this.core = new SchedulerCore(clock, watchdog, (name, policy, reason) -> rejectionListener.rejected(name, policy, reason));
        startOwner(null, null);
    }

    /**
     * @param clock the clock every round reads
     * @return an engine without a thread, run round by round by its caller
     */
    public static SteppedScheduler manual(EngineClock clock) {
        return new SteppedEngine(clock);
    }

    /** @param listener told of each policy the engine rejects (replaces the previous listener) */
    public void onPolicyRejected(RejectionListener listener) {
        rejectionListener = listener;
    }

    /** @param deadline how long a policy call may take from now on; zero or negative for no limit */
    public void policyDeadline(Duration deadline) {
        watchdog.deadlineNanos(deadline.toNanos());
    }

    /** @return how long a policy call may take */
    public Duration policyDeadline() {
        return Duration.ofNanos(watchdog.deadlineNanos());
    }

    /** @return policy calls abandoned so far, each having cost a thread */
    public long abandonedPolicyCalls() {
        return watchdog.abandoned();
    }

    /** @return threads still stuck in an abandoned policy call */
    public long stuckPolicyThreads() {
        return watchdog.stuck();
    }

    /** @param queue a queue to schedule from now on */
    public void opened(ScheduledQueue queue) {
        offer(new Opened(queue));
    }

    @Override
    public void edge(ScheduledQueue queue) {
        offer(new Edge(queue.id()));
    }

    @Override
    public void closed(ScheduledQueue queue) {
        offer(new Closed(queue.id()));
    }

    /** @return whether queues may keep their edges to themselves while no other queue is READY */
    public boolean lazyEdges() {
        return core.lazyEdges();
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
        return core.policyName();
    }

    /**
     * @param queueId a queue
     * @return the hints in force for it, as of the last handled event
     */
    public QueueHints hintsOf(long queueId) {
        return core.hintsOf(queueId);
    }

    /** @return how many times a policy decided */
    public long runs() {
        return core.runs();
    }

    /**
     * Sets where the decisions of a {@link SchedulingPolicy.Placing} policy go; without it, no device
     * has partitions. Call before queues are opened.
     *
     * @param layouts the runtime's placer
     */
    public void layouts(DeviceLayouts layouts) {
        core.layouts(layouts);
    }

    /**
     * @param queueId a queue
     * @return why the active policy's placement of it was refused (e.g. an oversized reservation), or null
     */
    public String placementNote(long queueId) {
        return core.placementNote(queueId);
    }

    /** Asks for a round of the policy soon, without waiting for it. */
    public void wake() {
        offer(new EngineEvent.Wake());
    }

    /**
     * Waits until every event offered before this call has been handled and its decisions applied.
     *
     * @throws InterruptedException when interrupted
     */
    public void sync() throws InterruptedException {
        barrier().await();
    }

    /**
     * Like {@link #sync()}, with a limit.
     *
     * @param timeout the longest to wait
     * @return whether the events were handled in time
     * @throws InterruptedException when interrupted
     */
    public boolean sync(Duration timeout) throws InterruptedException {
        return barrier().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private CountDownLatch barrier() {
        CountDownLatch latch = new CountDownLatch(1);
        offer(new Barrier(latch));
        if (!running) {
            latch.countDown();
        }
        return latch;
    }

    private void offer(EngineEvent event) {
        core.offer(event);
        LockSupport.unpark(owner);
    }

    /** The watchdog abandoned a call: the scheduler goes on on a fresh thread. */
    private void takeOver(PolicyCall stuck, String reason) {
        startOwner(stuck, reason);
    }

    private void startOwner(PolicyCall stuck, String reason) {
        int n = threads.incrementAndGet();
        Thread thread = Thread.ofPlatform().daemon().name(n == 1 ? "xsched-scheduler" : "xsched-scheduler-" + n)
                .unstarted(() -> own(stuck, reason));
        owner = thread;
        thread.start();
    }

    private void own(PolicyCall stuck, String reason) {
        try {
            if (stuck != null) {
                core.reject(stuck.policy(), stuck.name(), reason);
            }
            boolean force = stuck != null;
            while (running) {
                try {
                    core.round(force);
                } catch (CallAbandoned e) {
                    throw e;
                } catch (Throwable t) {
                    LOG.error("scheduler round failed; scheduling goes on", t);
                }
                force = false;
                spinForEvents();
                if (running && !core.hasEvents()) {
                    OptionalLong next = core.nextTimerNanos();
                    if (next.isEmpty()) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, next.getAsLong() - clock.nanoTime());
                    }
                }
            }
            core.stop();
            stopped.countDown();
        } catch (CallAbandoned e) {
            // another thread owns the scheduler now; leave its state alone
        }
    }

    private void spinForEvents() {
        long spin = spinNanos;
        if (spin <= 0) {
            return;
        }
        long end = System.nanoTime() + spin;
        OptionalLong timer = core.nextTimerNanos();
        if (timer.isPresent() && timer.getAsLong() - end < 0) {
            end = timer.getAsLong();
        }
        while (running && !core.hasEvents() && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** @param nanos how long the scheduler thread polls for events before parking; 0 to park at once */
    public void spinNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("the spin must not be negative, not " + nanos);
        }
        spinNanos = nanos;
    }

    /** Stops the scheduler thread; every queue it knows is resumed. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(owner);
        long wait = Math.max(0, watchdog.deadlineNanos()) + TimeUnit.SECONDS.toNanos(5);
        try {
            if (!stopped.await(wait, TimeUnit.NANOSECONDS)) {
                LOG.warn("the scheduler did not stop within {} ms", TimeUnit.NANOSECONDS.toMillis(wait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.close();
    }
}
