package xsched.core.internal.sched;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Hint;
import xsched.core.engine.EngineClock;
import xsched.core.engine.RoundResult;
import xsched.core.engine.ScheduledQueue;
import xsched.core.internal.sched.EngineEvent.Barrier;
import xsched.core.internal.sched.EngineEvent.Wake;
import xsched.core.internal.sched.EngineEvent.Closed;
import xsched.core.internal.sched.EngineEvent.Edge;
import xsched.core.internal.sched.EngineEvent.GlobalTimeslice;
import xsched.core.internal.sched.EngineEvent.HintGiven;
import xsched.core.internal.sched.EngineEvent.Opened;
import xsched.core.internal.sched.EngineEvent.PolicyChange;
import xsched.core.internal.sched.EngineEvent.QueueHintsSet;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The scheduler's state and its round, the one copy of the logic behind both the threaded
 * {@link SchedulerEngine} and the {@link SteppedEngine}. Events arrive from any thread through
 * {@link #offer}; everything else belongs to one thread at a time (the scheduler thread, or the
 * thread that took over from a stuck one, or the stepping caller). Whatever a policy or a queue
 * throws is caught here; only {@link CallAbandoned} passes, to unwind a thread that lost the role.
 */
final class SchedulerCore {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerCore.class);

    private final EngineClock clock;
    private final PolicyCalls calls;
    private final RejectionListener rejections;
    private final ConcurrentLinkedQueue<EngineEvent> inbox = new ConcurrentLinkedQueue<>();
    private final Map<Long, QueueRecord> queues = new LinkedHashMap<>();
    private final HintBook hints = new HintBook();
    private final Placements placements = new Placements();
    private final PriorityQueue<Long> timers = new PriorityQueue<>();
    private final List<CountDownLatch> barriers = new ArrayList<>();
    private final Set<SchedulingPolicy> rejected = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Long, QueueHints> published = new ConcurrentHashMap<>();
    private final AtomicLong runs = new AtomicLong();
    private SchedulingPolicy policy;
    private volatile String policyName;
    /**
     * Whether queues may keep their edges to themselves while no other queue is READY: true while
     * the active policy is {@link SchedulingPolicy.ContentionOnly} (or there is none) and no device
     * is split (a lone queue's edges may change a placement). Read by queues on any thread; the
     * engine re-reads every queue's readiness before each decision.
     */
    private volatile boolean lazyEdges = true;
    private boolean resetPending;
    private boolean failing;
    private boolean complained;
    private Throwable roundFailure;

    SchedulerCore(EngineClock clock, PolicyCalls calls, RejectionListener rejections) {
        this.clock = clock;
        this.calls = calls;
        this.rejections = rejections;
    }

    void offer(EngineEvent event) {
        inbox.add(event);
    }

    boolean hasEvents() {
        return !inbox.isEmpty();
    }

    /**
     * Handles every queued event, fires the timers due now and, if anything changed (or when
     * forced), runs the policy and applies its decisions; then releases the barriers met.
     */
    RoundResult round(boolean force) {
        roundFailure = null;
        boolean dirty = force;
        EngineEvent event;
        while ((event = inbox.poll()) != null) {
            dirty |= handle(event);
        }
        long now = clock.nanoTime();
        while (!timers.isEmpty() && timers.peek() <= now) {
            timers.poll();
            dirty = true;
        }
        boolean decided = dirty && schedule(now);
        releaseBarriers();
        return new RoundResult(decided, roundFailure);
    }

    private boolean handle(EngineEvent event) {
        switch (event) {
            case Opened(ScheduledQueue queue) -> {
                QueueRecord q = QueueRecord.of(queue);
                if (q == null) {
                    return false;
                }
                queues.put(q.id, q);
                published.put(q.id, hints.effective(q.id, q.pid));
                q.track(clock);
            }
            case Edge(long queueId) -> {
                if (!queues.containsKey(queueId)) {
                    return false;
                }
                // schedule() re-reads every queue: one running alone may not have told its edges
            }
            case Closed(long queueId) -> {
                QueueRecord gone = queues.remove(queueId);
                hints.forgetQueue(queueId);
                placements.forget(queueId);
                published.remove(queueId);
                if (gone != null && queues.values().stream().noneMatch(q -> q.pid == gone.pid) && !alive(gone.pid)) {
                    // the process's last queue closed because the process ended (e.g. a node daemon's client died)
                    hints.forgetProcess(gone.pid);
                }
            }
            case HintGiven(Hint hint) -> {
                try {
                    hints.apply(hint);
                } catch (RuntimeException e) {
                    LOG.warn("hint {} ignored", hint, e);
                    return false;
                }
                republish();
                if (policy != null) {
                    SchedulingPolicy p = policy;
                    complain(call(p, policyName, "take the hint " + hint, () -> p.hint(hint)), policyName, "hint " + hint);
                }
            }
            case QueueHintsSet(long queueId, QueueHints given) -> {
                hints.replace(queueId, given);
                republish();
            }
            case GlobalTimeslice(long nanos) -> hints.timeslice(nanos);
            case PolicyChange(String name, SchedulingPolicy next) -> switchPolicy(name, next);
            case Barrier(CountDownLatch latch) -> {
                barriers.add(latch);
                return false;
            }
            case Wake() -> {
                // a round of the policy is all that is asked
            }
        }
        return true;
    }

    private static boolean alive(long pid) {
        try {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (SecurityException | UnsupportedOperationException e) {
            return true;
        }
    }

    private void republish() {
        queues.values().forEach(q -> published.put(q.id, hints.effective(q.id, q.pid)));
    }

    private void switchPolicy(String name, SchedulingPolicy next) {
        SchedulingPolicy old = policy;
        String oldName = policyName;
        timers.clear();
        failing = false;
        complained = false;
        if (next != null && rejected.contains(next)) {
            String reason = "policy '" + name + "' was rejected before and is not called again";
            LOG.warn("{}; every queue runs", reason);
            notifyRejected(name, next, reason);
            next = null;
        }
        policy = next;
        policyName = next == null ? null : name;
        updateLazyEdges();
        resetPending = next != null;
        if (old != null && old != next && !rejected.contains(old)) {
            complain(call(old, oldName, "reset", old::reset), oldName, "reset");
        }
    }

    private void updateLazyEdges() {
        lazyEdges = (policy == null || policy instanceof SchedulingPolicy.ContentionOnly) && placements.allWhole();
    }

    /** @return whether queues may keep their edges to themselves while no other queue is READY */
    boolean lazyEdges() {
        return lazyEdges;
    }

    private boolean schedule(long now) {
        queues.values().forEach(r -> r.track(clock));
        if (policy == null) {
            resumeAll();
            placements.wholeEverywhere();
            updateLazyEdges();
            return false;
        }
        SchedulingPolicy p = policy;
        if (resetPending) {
            resetPending = false;
            complain(call(p, policyName, "reset", p::reset), policyName, "reset");
        }
        List<QueueStatus> status = new ArrayList<>(queues.size());
        for (QueueRecord q : queues.values()) {
            status.add(new QueueStatus(q.id, q.deviceId, q.pid, q.uid, q.ready, q.suspended(), q.readySince,
                    hints.effective(q.id, q.pid), q.idleSince, q.drainedSince));
        }
        SchedulerStatus snapshot = new SchedulerStatus(now, status, hints.k(), hints.activeWindowPid(), hints.timesliceNanos());
        PlacementDecisions placed = null;
        if (p instanceof SchedulingPolicy.Placing placing) {
            PlacementDecisions decided = placements.begin(snapshot);
            Throwable failure = call(p, policyName, "place", () -> placing.place(snapshot, decided));
            if (failure != null) {
                return failed(failure);
            }
            placed = decided;
        }
        Decisions decisions = new Decisions(now);
        Throwable failure = call(p, policyName, "decide", () -> p.schedule(snapshot, decisions));
        if (failure != null) {
            return failed(failure);
        }
        if (failing) {
            LOG.info("policy '{}' works again", policyName);
            failing = false;
        }
        if (placed != null) {
            placements.apply(placed);
        } else {
            placements.wholeEverywhere();
        }
        updateLazyEdges();
        runs.incrementAndGet();
        timers.addAll(decisions.timers());
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
        return true;
    }

    /** The policy threw: every queue runs until it works again; the device layouts stay as they are. */
    private boolean failed(Throwable failure) {
        if (!failing) {
            LOG.error("policy '{}' failed; letting every queue run until it works again", policyName, failure);
        } else {
            LOG.debug("policy '{}' failed again", policyName, failure);
        }
        failing = true;
        resumeAll();
        return false;
    }

    private Throwable call(SchedulingPolicy p, String name, String what, Runnable body) {
        Throwable failure = calls.call(p, name, what, body);
        if (failure != null && roundFailure == null) {
            roundFailure = failure;
        }
        return failure;
    }

    private void complain(Throwable failure, String name, String what) {
        if (failure == null) {
            return;
        }
        if (!complained) {
            LOG.warn("policy '{}' failed on {}; later failures are logged at DEBUG", name, what, failure);
            complained = true;
        } else {
            LOG.debug("policy '{}' failed on {}", name, what, failure);
        }
    }

    /**
     * A call to {@code stuck} was abandoned: the policy is never called again, it is no longer
     * active, and every queue is resumed, so none stays stopped by it; each runs until the next
     * policy decides.
     */
    void reject(SchedulingPolicy stuck, String name, String reason) {
        rejected.add(stuck);
        if (stuck == policy) {
            policy = null;
            policyName = null;
            resetPending = false;
            failing = false;
            timers.clear();
            placements.wholeEverywhere();
            updateLazyEdges();
        }
        resumeAll();
        notifyRejected(name, stuck, reason);
    }

    private void notifyRejected(String name, SchedulingPolicy p, String reason) {
        try {
            rejections.rejected(name, p, reason);
        } catch (Throwable t) {
            LOG.error("the rejection listener failed on policy '{}'", name, t);
        }
    }

    void resumeAll() {
        queues.values().forEach(q -> apply(q, true));
    }

    private static void apply(QueueRecord q, boolean run) {
        if (q != null) {
            q.apply(run);
        }
    }

    private void releaseBarriers() {
        barriers.forEach(CountDownLatch::countDown);
        barriers.clear();
    }

    /** The engine stops: every queue runs and every waiting {@code sync} returns. */
    void stop() {
        EngineEvent event;
        while ((event = inbox.poll()) != null) {
            if (event instanceof Barrier(CountDownLatch latch)) {
                barriers.add(latch);
            }
        }
        resumeAll();
        releaseBarriers();
    }

    OptionalLong nextTimerNanos() {
        return timers.isEmpty() ? OptionalLong.empty() : OptionalLong.of(timers.peek());
    }

    List<Long> pendingTimers() {
        return timers.stream().sorted().toList();
    }

    String policyName() {
        return policyName;
    }

    QueueHints hintsOf(long queueId) {
        return published.getOrDefault(queueId, QueueHints.NONE);
    }

    long runs() {
        return runs.get();
    }

    /** @param layouts where placement decisions go from now on (set before the first round) */
    void layouts(DeviceLayouts layouts) {
        placements.layouts(layouts);
    }

    /** @return why the queue is not placed as its reservation asks, or null */
    String placementNote(long queueId) {
        return placements.note(queueId);
    }
}
