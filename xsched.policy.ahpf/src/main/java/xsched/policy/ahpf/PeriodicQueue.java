package xsched.policy.ahpf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.spi.policy.QueueStatus;

/**
 * What the policy has seen of one queue from round to round: its READY and IDLE edges, which of
 * them start a job (a READY edge after at least the idle gap), the period of those jobs, and the
 * window before the next job in which the lower-priority queues of its device are held back. Used
 * on the scheduler thread only. At DEBUG, says each job that teaches the lead: its span, whether
 * the lower queues were held for it, and the lead after it.
 */
final class PeriodicQueue {
    /**
     * Whether the hold before a job may begin from its earliest due time ({@link ArrivalPattern#earliestDue()});
     * system property {@code xsched.ahpf.gridDue=false} (a diagnostic) begins it from the expected one only.
     */
    private static final boolean GRID_DUE = !"false".equals(System.getProperty("xsched.ahpf.gridDue"));

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicQueue.class);
    /**
     * What a lead from drains adds to the longest recent drain: half of it, for the drains longer
     * still that come now and then (a second command launched as the suspension came), and at least
     * this much for the decision's way to the held queue. Measured on the H200 (the drains of one
     * run, replayed): the longest of 32 plus an eighth would have been shorter than the next drain
     * for 1.1 % of a GEMM loop's and 0.8 % of a spin loop's; plus half, 0.4 % and 0.7 %.
     */
    static final long DRAIN_MARGIN_NANOS = 100_000;
    private final long queueId;
    private final ArrivalPattern arrivals = new ArrivalPattern();
    private final LeadTime lead = new LeadTime();
    private long seenReadySince = Long.MIN_VALUE;
    private boolean busy;
    private long idleSince = Long.MIN_VALUE;
    /** Whether lower queues were held back for the job now due, and for the one that arrived last. */
    private boolean heldForNext;
    private boolean heldForLast;
    private long asked = Long.MIN_VALUE;
    /** Whether the last job was seen READY, so that its last IDLE edge is its end. */
    private boolean lastEndKnown = true;
    /** Whether a round has seen the queue yet: the READY time the first finds is of a job before the policy's time. */
    private boolean observed;
    private long loggedLead;
    /** How long its device's held queues took to drain at most, recently (see {@link DrainTime}); -1 while unknown. */
    private long drainNeed = -1;

    /** @param queueId the queue's id, for the log */
    PeriodicQueue(long queueId) {
        this.queueId = queueId;
    }

    /**
     * Takes the queue's state in a round. A job ends at the queue's IDLE edge as the status dates
     * it ({@link QueueStatus#idleSinceNanos()}), else at the round that finds it IDLE. An IDLE queue
     * whose {@link QueueStatus#readySinceNanos()} moved since the last round had a READY period that
     * began and ended between the two: a job this policy counts although it never saw it READY,
     * and, unless the status dates its end, one that teaches the lead nothing.
     *
     * @param q        the queue as the status shows it
     * @param now      the round's time
     * @param settings the policy's settings
     */
    void observe(QueueStatus q, long now, AnticipationSettings settings) {
        long since = q.readySinceNanos();
        if (!observed && !q.ready()) {
            observed = true;
            seenReadySince = since;
            return;
        }
        observed = true;
        if (!q.ready()) {
            if (busy) {
                busy = false;
                long idle = datedIdle(q, seenReadySince, now);
                idleSince = idle != Long.MIN_VALUE ? idle : now;
            } else if (since != Long.MIN_VALUE && since != seenReadySince) {
                long idle = datedIdle(q, since, now);
                arrive(since, idle != Long.MIN_VALUE, settings);
                seenReadySince = since;
                idleSince = idle != Long.MIN_VALUE ? idle : now;
            }
            return;
        }
        if (since == Long.MIN_VALUE) {
            since = now;
        }
        if (busy && since == seenReadySince) {
            return;
        }
        // a READY edge; one that came after an IDLE this policy never saw continues the job
        if (!busy) {
            arrive(since, true, settings);
        }
        seenReadySince = since;
        busy = true;
    }

    /**
     * @return when the queue turned IDLE as the status dates it, when that is after the READY edge
     *         at {@code since} and not after now (the queue's owner dated it, also across
     *         processes); {@link Long#MIN_VALUE} when the status does not date it so (the caller
     *         then takes the round's time, and knows the job's end is not dated)
     */
    private static long datedIdle(QueueStatus q, long since, long now) {
        long idle = q.idleSinceNanos();
        return idle != Long.MIN_VALUE && since != Long.MIN_VALUE && idle - since >= 0 && now - idle >= 0
                ? idle
                : Long.MIN_VALUE;
    }

    /**
     * A READY edge: a job's arrival unless it came within the idle gap of the last IDLE edge.
     *
     * @param since when the queue turned READY
     * @param seen  whether the job is seen READY, so that its end will be known
     */
    private void arrive(long since, boolean seen, AnticipationSettings settings) {
        if (idleSince != Long.MIN_VALUE && since - idleSince < settings.idleGapNanos()) {
            return;
        }
        if (lastEndKnown && arrivals.lastArrival() != Long.MIN_VALUE && idleSince != Long.MIN_VALUE) {
            long span = idleSince - arrivals.lastArrival();
            lead.jobEnded(span, heldForLast, most(settings));
            if (LOG.isDebugEnabled()) {
                LOG.debug("ahpf: queue {}'s job took {} µs{}; lead {} µs", queueId, span / 1000, heldForLast ? " (others held)" : "",
                        lead(settings) / 1000);
            }
        }
        arrivals.arrived(since);
        heldForLast = heldForNext;
        heldForNext = false;
        lastEndKnown = seen;
    }

    /**
     * @param now      the round's time
     * @param settings the policy's settings
     * @return whether the queue's next job is due soon enough that the lower queues must stop now
     */
    boolean due(long now, AnticipationSettings settings) {
        return !busy && arrivals.periodic() && now >= start(settings) && now < end(settings);
    }

    /**
     * @param now      the round's time
     * @param settings the policy's settings
     * @return when the policy must look again (the window's start or end), or {@link Long#MIN_VALUE} for never
     */
    long wake(long now, AnticipationSettings settings) {
        if (busy || !arrivals.periodic()) {
            return Long.MIN_VALUE;
        }
        long start = start(settings);
        long end = end(settings);
        return now < start ? start : now < end ? end : Long.MIN_VALUE;
    }

    /**
     * @param at a time the policy may ask to be woken at
     * @return whether that time was not asked for before (a timer stays in force once asked)
     */
    boolean ask(long at) {
        if (at == asked) {
            return false;
        }
        asked = at;
        return true;
    }

    /** Lower-priority queues were held back for the job now due. */
    void held() {
        heldForNext = true;
    }

    /** @param nanos how long its device's held queues took to drain at most, recently; -1 while unknown */
    void drainNeed(long nanos) {
        drainNeed = nanos;
    }

    /**
     * The lead: once the device's held queues have been seen to drain, the longest they took
     * recently plus half ({@value #DRAIN_MARGIN_NANOS} ns at least); before that (queues of
     * clients that do not date their drains), what the jobs' spans taught ({@link LeadTime}). At
     * least the least lead, at most the most.
     *
     * @param settings the policy's settings
     * @return the lead now, nanoseconds
     */
    long lead(AnticipationSettings settings) {
        if (drainNeed < 0) {
            return lead.nanos(settings.leastLeadNanos(), most(settings));
        }
        long wanted = Math.max(settings.leastLeadNanos(), drainNeed + Math.max(drainNeed / 2, DRAIN_MARGIN_NANOS));
        return Math.max(0, Math.min(most(settings), wanted));
    }

    /** @return how far the queue's jobs stray from their period, nanoseconds (see {@link ArrivalPattern#jitter()}) */
    long jitter() {
        return arrivals.jitter();
    }

    /** @return the lead last said in the log, nanoseconds */
    long loggedLead() {
        return loggedLead;
    }

    /** @param lead the lead just said in the log, nanoseconds */
    void loggedLead(long lead) {
        loggedLead = lead;
    }

    /** @return the period of the queue's jobs, 0 while they arrive at none */
    long period() {
        return arrivals.period();
    }

    private long start(AnticipationSettings settings) {
        return (GRID_DUE ? arrivals.earliestDue() : arrivals.expected()) - lead(settings) - arrivals.jitter();
    }

    private long end(AnticipationSettings settings) {
        return arrivals.expected() + arrivals.jitter() + lead(settings);
    }

    private long most(AnticipationSettings settings) {
        return arrivals.period() / 100 * settings.mostLeadPercent();
    }
}
