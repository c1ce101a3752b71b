package xsched.daemon.internal.client;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.Frame.TargetKind;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The policy of a client runtime: it tells the daemon what its queues do (opened, closed,
 * READY/IDLE, hints) and remembers all of it, so that a new connection can be told everything
 * again; and it applies the daemon's decisions, which {@link NodeLink} records with
 * {@link #want(long, boolean)} and wakes the engine for. A queue the daemon has not suspended
 * runs, so that without a daemon every queue runs.
 *
 * <p>Locking: this object's lock is taken before a queue's (reading its counters); the edge fast
 * path ({@link #edgeFrame}) runs under a queue's lock and so takes only the {@link #opened} set.
 */
final class RelayPolicy implements SchedulingPolicy {
    private final Map<Long, QueueStatus> known = new HashMap<>();
    private final Map<Long, Frame.State> lastSent = new HashMap<>();
    private final Map<String, Frame.HintFrame> hints = new LinkedHashMap<>();
    private final Set<Long> suspendedByDaemon = new HashSet<>();
    /** Queues whose Open went out on the current connection: the edge fast path may report them. */
    private final Set<Long> opened = ConcurrentHashMap.newKeySet();
    private volatile Xsched xsched;
    private Consumer<Frame.FromClient> out = frame -> { };

    void runtime(Xsched runtime) {
        this.xsched = runtime;
    }

    @Override
    public synchronized void schedule(SchedulerStatus status, PolicyContext context) {
        Set<Long> seen = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            seen.add(q.id());
            if (!known.containsKey(q.id())) {
                queue(q.id()).ifPresent(x -> {
                    known.put(q.id(), q);
                    open(x, q.ready());
                });
            } else {
                known.put(q.id(), q);
                queue(q.id()).ifPresent(x -> sendChange(x, q.ready()));
            }
            apply(q, context);
        }
        known.keySet().removeIf(id -> {
            if (seen.contains(id)) {
                return false;
            }
            opened.remove(id);
            lastSent.remove(id);
            out.accept(new Frame.Close(id));
            suspendedByDaemon.remove(id);
            hints.keySet().removeIf(key -> key.startsWith(id + "/"));
            return true;
        });
    }

    private void apply(QueueStatus q, PolicyContext context) {
        boolean suspend = suspendedByDaemon.contains(q.id());
        if (suspend && !q.suspended()) {
            context.suspend(q.id());
        } else if (!suspend && q.suspended()) {
            context.resume(q.id());
        }
    }

    /**
     * Records a decision of the daemon; the next round applies it.
     *
     * @param queueId a queue of this runtime
     * @param suspend whether the daemon wants it suspended
     */
    synchronized void want(long queueId, boolean suspend) {
        if (suspend) {
            suspendedByDaemon.add(queueId);
        } else {
            suspendedByDaemon.remove(queueId);
        }
    }

    @Override
    public synchronized void hint(Hint hint) {
        if (hint instanceof Hint.Reservation) {
            // partitions belong to the process that owns the device's contexts: the daemon does not place queues
            return;
        }
        if (hint.target() instanceof HintTarget.Queue(long queue)) {
            // The engine hands a policy the hints of a round before the round's status: a queue
            // hinted right after it opened is registered here first.
            register(queue);
        }
        Frame.HintFrame frame = switch (hint.target()) {
            case HintTarget.Queue(long queue) -> new Frame.HintFrame(TargetKind.OWN_QUEUE, queue, hint);
            case HintTarget.Process(long pid) -> new Frame.HintFrame(TargetKind.PROCESS, pid, hint);
            case HintTarget.Global() -> new Frame.HintFrame(TargetKind.GLOBAL, 0, hint);
        };
        String key = (frame.targetKind() == TargetKind.OWN_QUEUE ? frame.target() + "/" : frame.targetKind() + ":" + frame.target() + "/")
                + hint.getClass().getSimpleName();
        hints.put(key, frame);
        out.accept(frame);
    }

    private void register(long id) {
        if (known.containsKey(id)) {
            return;
        }
        queue(id).ifPresent(x -> {
            boolean ready = x.state() == QueueState.READY;
            known.put(id, new QueueStatus(id, x.device().id(), x.pid(), ready, x.suspended(), Long.MIN_VALUE, QueueHints.NONE));
            open(x, ready);
        });
    }

    private void open(XQueue x, boolean ready) {
        out.accept(openFrame(x));
        opened.add(x.id());
        sendState(x, ready);
    }

    /** Sends a queue's state when its readiness, suspension or level changed (counters wait for {@link #refresh()}). */
    private void sendChange(XQueue x, boolean ready) {
        Frame.State last = lastSent.get(x.id());
        if (last == null || last.ready() != ready || last.suspended() != x.suspended() || last.level() != x.level().number()) {
            sendState(x, ready);
        }
    }

    private void sendState(XQueue x, boolean ready) {
        Frame.State now = state(x, ready);
        if (!now.equals(lastSent.get(x.id()))) {
            lastSent.put(x.id(), now);
            out.accept(now);
        }
    }

    /**
     * The edge fast path: the State frame for a queue that just turned READY or IDLE, built on the
     * thread that caused it, or null when the daemon has not been told of the queue on this
     * connection yet (the next round tells it). Takes no lock of this policy.
     */
    Frame.State edgeFrame(long queueId, boolean ready) {
        if (!opened.contains(queueId)) {
            return null;
        }
        return queue(queueId).map(x -> state(x, ready)).orElse(null);
    }

    /**
     * Sends everything it knows through a new connection, and from now on every change.
     *
     * @param sink where frames go
     */
    synchronized void connect(Consumer<Frame.FromClient> sink) {
        out = sink;
        opened.clear();
        lastSent.clear();
        known.values().removeIf(q -> {
            Optional<XQueue> x = queue(q.id());
            x.ifPresent(queue -> open(queue, q.ready()));
            return x.isEmpty();
        });
        hints.values().forEach(sink);
    }

    /**
     * Stops sending (the connection is gone) and forgets the daemon's decisions, so that the next
     * round resumes every queue; changes are still remembered.
     */
    synchronized void disconnect() {
        out = frame -> { };
        opened.clear();
        lastSent.clear();
        suspendedByDaemon.clear();
    }

    /** Sends the state of every queue whose state or counters moved since last sent. */
    synchronized void refresh() {
        for (QueueStatus q : known.values()) {
            queue(q.id()).ifPresent(x -> sendState(x, q.ready()));
        }
    }

    private Optional<XQueue> queue(long id) {
        Xsched runtime = xsched;
        return runtime == null ? Optional.empty() : runtime.queue(id);
    }

    private static Frame.Open openFrame(XQueue q) {
        var d = q.device();
        var launch = q.launchConfig();
        return new Frame.Open(q.id(), clip(q.name()), clip(d.id()), clip(d.platform()), d.kind().name(), clip(d.name()),
                d.maxLevel().number(), q.level().number(), launch.threshold(), launch.batchSize());
    }

    private static Frame.State state(XQueue q, boolean ready) {
        return new Frame.State(q.id(), ready, q.suspended(), q.level().number(), q.submitted(), q.finished(), 0, 0);
    }

    /** Keeps a name within the protocol's string limit (in UTF-8 bytes), cutting at a code point. */
    private static String clip(String s) {
        if (s.length() <= 256) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, 256));
    }
}
