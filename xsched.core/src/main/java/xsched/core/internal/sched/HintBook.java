package xsched.core.internal.sched;

import java.util.HashMap;
import java.util.Map;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.spi.policy.QueueHints;

/**
 * The hints in force. Queue hints override process hints field by field. Used on the
 * scheduler thread only.
 */
final class HintBook {
    private final Map<Long, QueueHints> byQueue = new HashMap<>();
    private final Map<Long, QueueHints> byProcess = new HashMap<>();
    private final Map<Long, Long> givenByQueue = new HashMap<>();
    private final Map<Long, Long> givenByProcess = new HashMap<>();
    private int k = 1;
    private long activeWindowPid = -1;
    private long timesliceNanos;

    private static final long PRIORITY = 1, UTILIZATION = 2, TIMESLICE = 4, DEADLINE = 8, LAXITY = 16, RESERVATION = 32;
    private static final long ALL = PRIORITY | UTILIZATION | TIMESLICE | DEADLINE | LAXITY | RESERVATION;

    void apply(Hint hint) {
        switch (hint) {
            case Hint.KEdf kedf -> k = kedf.k();
            case Hint.ActiveWindow window -> activeWindowPid = window.pid();
            case Hint.Timeslice slice when slice.target() instanceof HintTarget.Global ->
                    timesliceNanos = slice.timeslice().toNanos();
            default -> merge(hint);
        }
    }

    private void merge(Hint hint) {
        Map<Long, QueueHints> values;
        Map<Long, Long> given;
        long key;
        switch (hint.target()) {
            case HintTarget.Queue queue -> {
                values = byQueue;
                given = givenByQueue;
                key = queue.queueId();
            }
            case HintTarget.Process process -> {
                values = byProcess;
                given = givenByProcess;
                key = process.pid();
            }
            case HintTarget.Global global -> throw new IllegalArgumentException(hint + " cannot be global");
        }
        QueueHints h = values.getOrDefault(key, QueueHints.NONE);
        long mask = given.getOrDefault(key, 0L);
        switch (hint) {
            case Hint.Priority p -> {
                h = new QueueHints(p.priority(), h.utilization(), h.timesliceNanos(), h.deadlineNanos(), h.laxityNanos(), h.laxityPriority(), h.criticalPriority(), h.reservedUnits(), h.reservedPercent());
                mask |= PRIORITY;
            }
            case Hint.Utilization u -> {
                h = new QueueHints(h.priority(), u.percent(), h.timesliceNanos(), h.deadlineNanos(), h.laxityNanos(), h.laxityPriority(), h.criticalPriority(), h.reservedUnits(), h.reservedPercent());
                mask |= UTILIZATION;
            }
            case Hint.Timeslice t -> {
                h = new QueueHints(h.priority(), h.utilization(), t.timeslice().toNanos(), h.deadlineNanos(), h.laxityNanos(), h.laxityPriority(), h.criticalPriority(), h.reservedUnits(), h.reservedPercent());
                mask |= TIMESLICE;
            }
            case Hint.Deadline d -> {
                h = new QueueHints(h.priority(), h.utilization(), h.timesliceNanos(), d.deadline().toNanos(), h.laxityNanos(), h.laxityPriority(), h.criticalPriority(), h.reservedUnits(), h.reservedPercent());
                mask |= DEADLINE;
            }
            case Hint.Laxity l -> {
                h = new QueueHints(h.priority(), h.utilization(), h.timesliceNanos(), h.deadlineNanos(), l.laxity().toNanos(), l.priority(), l.criticalPriority(), h.reservedUnits(), h.reservedPercent());
                mask |= LAXITY;
            }
            case Hint.Reservation r -> {
                h = h.withReservation(r.computeUnits(), r.percent());
                mask |= RESERVATION;
            }
            default -> throw new IllegalArgumentException("not a queue hint: " + hint);
        }
        values.put(key, h);
        given.put(key, mask);
    }

    /** Sets every hint of a queue at once; process hints no longer show through it. */
    void replace(long queueId, QueueHints hints) {
        byQueue.put(queueId, hints);
        givenByQueue.put(queueId, ALL);
    }

    void timeslice(long nanos) {
        timesliceNanos = nanos;
    }

    QueueHints effective(long queueId, long pid) {
        QueueHints q = byQueue.get(queueId);
        QueueHints p = byProcess.get(pid);
        if (p == null) {
            return q == null ? QueueHints.NONE : q;
        }
        if (q == null) {
            return p;
        }
        long mask = givenByQueue.getOrDefault(queueId, 0L);
        return new QueueHints(
                (mask & PRIORITY) != 0 ? q.priority() : p.priority(),
                (mask & UTILIZATION) != 0 ? q.utilization() : p.utilization(),
                (mask & TIMESLICE) != 0 ? q.timesliceNanos() : p.timesliceNanos(),
                (mask & DEADLINE) != 0 ? q.deadlineNanos() : p.deadlineNanos(),
                (mask & LAXITY) != 0 ? q.laxityNanos() : p.laxityNanos(),
                (mask & LAXITY) != 0 ? q.laxityPriority() : p.laxityPriority(),
                (mask & LAXITY) != 0 ? q.criticalPriority() : p.criticalPriority(),
                (mask & RESERVATION) != 0 ? q.reservedUnits() : p.reservedUnits(),
                (mask & RESERVATION) != 0 ? q.reservedPercent() : p.reservedPercent());
    }

    void forgetQueue(long queueId) {
        byQueue.remove(queueId);
        givenByQueue.remove(queueId);
    }

    /** Forgets a process's hints (it has ended: a later process with its pid must not inherit them). */
    void forgetProcess(long pid) {
        byProcess.remove(pid);
        givenByProcess.remove(pid);
    }

    int k() {
        return k;
    }

    long activeWindowPid() {
        return activeWindowPid;
    }

    long timesliceNanos() {
        return timesliceNanos;
    }
}
