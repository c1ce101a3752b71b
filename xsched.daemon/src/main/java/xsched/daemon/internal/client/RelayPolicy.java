package xsched.daemon.internal.client;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.api.dto.QueueDTO;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.Frame.TargetKind;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The policy of a client runtime: it tells the daemon what its queues do (opened, closed,
 * READY/IDLE, hints) and remembers all of it, so that a new connection can be told everything
 * again; and it applies the daemon's decisions, which {@link NodeLink} records with
 * {@link #want(long, boolean)} and wakes the engine for; the link also applies them at once, without
 * waiting ({@link xsched.core.embed.EmbeddedXsched#suspendNow}, {@code resume}). A queue the daemon
 * has not suspended runs, so that without a daemon every queue runs.
 *
 * <p>A queue's State goes out from a round, from {@link #refresh()}, or, with
 * {@code xsched.node.directEdges=true}, from the edge fast path ({@link #edge}), each time reading
 * the queue as it is then; {@link StateReports} orders them and sends only news, so that an edge
 * the fast path told is not told again by the round after it, and a round whose status is older
 * than the last edge does not bring back the older readiness.
 *
 * <p>Locking: this object's lock is taken before a queue's (reading its counters); the edge fast
 * path runs under a queue's lock and so takes none of this object's, only {@link StateReports}'
 * lock of that queue, which is taken last.
 */
final class RelayPolicy implements SchedulingPolicy {
    /** Queues the daemon is told of whenever connected. */
    private final Set<Long> known = new HashSet<>();
    private final Map<String, Frame.HintFrame> hints = new LinkedHashMap<>();
    private final Set<Long> suspendedByDaemon = new HashSet<>();
    /** The current connection ({@link StateReports#NONE} while there is none); the edge fast path reads it unlocked. */
    private volatile StateReports reports = StateReports.NONE;
    private volatile Xsched xsched;

    void runtime(Xsched runtime) {
        this.xsched = runtime;
    }

    @Override
    public synchronized void schedule(SchedulerStatus status, PolicyContext context) {
        Set<Long> seen = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            seen.add(q.id());
            if (!known.contains(q.id())) {
                queue(q.id()).ifPresent(x -> {
                    known.add(q.id());
                    open(x);
                });
            } else {
                // the queue as it is now, not q: an edge told since the status was taken is newer than q.ready()
                queue(q.id()).ifPresent(reports::reportFromRound);
            }
            apply(q, context);
        }
        known.removeIf(id -> {
            if (seen.contains(id)) {
                return false;
            }
            reports.close(id);
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
        reports.send(frame);
    }

    private void register(long id) {
        if (known.contains(id)) {
            return;
        }
        queue(id).ifPresent(x -> {
            known.add(id);
            open(x);
        });
    }

    private void open(XQueue x) {
        reports.open(x, openFrame(x));
    }

    /**
     * The edge fast path, on the thread that turned a queue READY or IDLE: tells the daemon now,
     * unless it was told already or has not been told of the queue on this connection yet (the next
     * round opens it). Reads the queue's readiness again rather than take the edge's, which a later
     * edge may have overtaken. Takes no lock of this policy.
     *
     * @param queueId the queue
     */
    void edge(long queueId) {
        StateReports now = reports;
        if (now != StateReports.NONE) {
            queue(queueId).ifPresent(x -> now.report(x, false));
        }
    }

    /**
     * Sends everything it knows through a new connection, and from now on every change.
     *
     * @param sink where frames go
     */
    synchronized void connect(Consumer<Frame.FromClient> sink) {
        reports = new StateReports(sink);
        known.removeIf(id -> {
            Optional<XQueue> x = queue(id);
            x.ifPresent(this::open);
            return x.isEmpty();
        });
        hints.values().forEach(reports::send);
    }

    /**
     * Stops sending (the connection is gone) and forgets the daemon's decisions, so that the next
     * round resumes every queue; changes are still remembered.
     */
    synchronized void disconnect() {
        reports = StateReports.NONE;
        suspendedByDaemon.clear();
    }

    /** Sends the state of every queue whose state, counters or reach moved since last sent. */
    void refresh() {
        Xsched runtime = xsched;
        Map<Long, QueueDTO> listed = new HashMap<>();
        if (runtime != null) {
            // before this policy's lock: the listing takes the runtime's own locks
            for (QueueDTO q : runtime.snapshot().queues) {
                listed.put(q.id, q);
            }
        }
        refresh(listed);
    }

    private synchronized void refresh(Map<Long, QueueDTO> listed) {
        for (long id : known) {
            queue(id).ifPresent(x -> reports.report(x, true, listed.get(id)));
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

    /** Keeps a string within the protocol's limit in UTF-8 bytes: 256 code points at most, cut at a code point. */
    static String clip(String s) {
        if (s.length() <= 256 || s.codePointCount(0, s.length()) <= 256) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, 256));
    }
}
