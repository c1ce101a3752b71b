package xsched.policy.ahpf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Highest priority first, anticipating periodic jobs. As {@code hpf}, on each device the READY
 * queues of the highest priority run and the other queues there are suspended; when no queue is
 * READY or due, all are resumed. In addition, a queue whose jobs arrive at a steady period (an
 * inference every 20 ms, a control loop, a video frame) counts as READY shortly before its next
 * job is due: the lower queues of its device are suspended then, so that what they have already
 * started on the device ends before the job arrives, and the job finds the device free instead of
 * waiting for the scheduler's decision and for the others' running work.
 *
 * <p>How early is measured: each time the policy suspends a lower queue that has work, the queue's
 * owner dates when its launched work had all ended ({@link QueueStatus#drainedSinceNanos()}), and
 * the lead is the longest of the device's recent drains plus half ({@code DrainTime}), between
 * {@link Config#lead_us()} and {@link Config#max_lead_percent()} of the period. Where the owners date
 * no drains, it is learnt from the queue's own jobs instead: it starts at {@link Config#lead_us()}
 * and grows by what a job held up by the others' work took longer than the fastest recent job, up to
 * the most; it shrinks again slowly once the jobs are on time (see {@code LeadTime}). A job starts
 * with a READY edge after the queue was IDLE for at least {@link Config#idle_gap_us()}; a queue is
 * periodic once two in three of the intervals between its last eight jobs lie within an eighth of
 * their median, and stays so while half of them do (the lead it learnt is kept while the period is
 * lost). If a job does not come within the lead after it was due, the others run again until it
 * does.
 *
 * <p>While a queue is READY or due, the lower queues of its device are suspended whether READY or
 * IDLE: an IDLE one left running would launch its next command the moment it has one, before a
 * round could suspend it, and that command would run into the job (on the H200, a GEMM loop that
 * synchronizes every 8 GEMMs sent one into every 10th to 20th inference this way).
 *
 * <p>The price: the lower queues give up the lead (plus the period's jitter) once per period, on
 * top of the job itself. Hints read: {@code priority} (default 0). Not placing (every queue keeps
 * its whole device), and it sees every edge (not contention-only), since it learns from the jobs of
 * a queue that runs alone.
 */
@Component(service = SchedulingPolicy.class, configurationPid = AnticipatingPriorityFirst.PID,
        property = SchedulingPolicy.NAME + "=ahpf")
@Designate(ocd = AnticipatingPriorityFirst.Config.class)
public final class AnticipatingPriorityFirst implements SchedulingPolicy {
    /** Configuration PID. */
    public static final String PID = "xsched.policy.ahpf";
    private static final Logger LOG = LoggerFactory.getLogger(AnticipatingPriorityFirst.class);

    /** Tunables. */
    @ObjectClassDefinition(name = "xsched policy: anticipating highest priority first (ahpf)",
            description = "Highest priority first; the lower queues of a device also stop shortly before a periodic "
                    + "higher-priority queue's next job is due")
    public @interface Config {
        /** @return the least lead, µs */
        @AttributeDefinition(name = "Least lead (µs)", description = "How long before a periodic queue's next job the "
                + "lower-priority queues stop at least; the policy adds what the queue's jobs show to be missing; 0…1000000")
        long lead_us() default 200;

        /** @return the most lead, % of the period */
        @AttributeDefinition(name = "Most lead (% of the period)", description = "The most the lead may grow to, as a share "
                + "of the queue's period: what the lower queues may lose per period on top of the job itself; 0…90")
        int max_lead_percent() default 25;

        /** @return the idle gap, µs */
        @AttributeDefinition(name = "Idle gap (µs)", description = "How long a queue must have been IDLE for its next READY "
                + "edge to start a new job (shorter gaps continue the job); 1…1000000")
        long idle_gap_us() default 500;
    }

    private volatile AnticipationSettings settings = AnticipationSettings.DEFAULT;
    private final Map<Long, PeriodicQueue> queues = new HashMap<>();
    /**
     * The lower queues this policy suspended while they had work: the round's time, until their
     * drain is measured ({@link Long#MIN_VALUE} after) or they are resumed.
     */
    private final Map<Long, Long> heldSince = new HashMap<>();
    /** How long each device's held queues took to drain. */
    private final Map<String, DrainTime> drains = new HashMap<>();

    /** With default tunables (DS replaces them on activation). */
    public AnticipatingPriorityFirst() {
    }

    /**
     * For an application that embeds xsched: the policy with tunables, as {@link Config} sets them under OSGi.
     *
     * @param leadMicros         the least lead, µs (clamped to 0…1 000 000)
     * @param maxLeadPercent     the most lead, % of the period (clamped to 0…90)
     * @param idleGapMicros      the idle gap, µs (clamped to 1…1 000 000)
     * @return the policy
     */
    public static AnticipatingPriorityFirst withSettings(long leadMicros, int maxLeadPercent, long idleGapMicros) {
        AnticipatingPriorityFirst p = new AnticipatingPriorityFirst();
        p.settings = AnticipationSettings.of(leadMicros, maxLeadPercent, idleGapMicros);
        return p;
    }

    @Activate
    @Modified
    void configure(Config config) {
        settings = AnticipationSettings.of(config.lead_us(), config.max_lead_percent(), config.idle_gap_us());
    }

    @Override
    public synchronized void schedule(SchedulerStatus status, PolicyContext context) {
        AnticipationSettings s = settings;
        long now = context.nanoTime();
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> dueTop = new HashMap<>();
        Set<Long> open = new HashSet<>();
        Set<Long> due = new HashSet<>();
        for (QueueStatus q : status.queues()) {
            open.add(q.id());
            measureDrain(q);
        }
        heldSince.keySet().retainAll(open);
        for (QueueStatus q : status.queues()) {
            PeriodicQueue p = queues.computeIfAbsent(q.id(), PeriodicQueue::new);
            DrainTime drain = drains.get(q.deviceId());
            p.drainNeed(drain == null ? -1 : drain.need());
            long period = p.period();
            p.observe(q, now, s);
            log(q.id(), p, period, s);
            if (q.ready()) {
                top.merge(q.deviceId(), q.hints().priority(), Math::max);
            } else if (p.due(now, s)) {
                due.add(q.id());
                dueTop.merge(q.deviceId(), q.hints().priority(), Math::max);
            }
        }
        queues.keySet().retainAll(open);
        Map<String, Integer> lowestHeld = new HashMap<>();
        for (QueueStatus q : status.queues()) {
            int priority = q.hints().priority();
            Integer ready = top.get(q.deviceId());
            Integer dueAbove = dueTop.get(q.deviceId());
            // IDLE ones too: one resumed while IDLE launches its next command at once, before a
            // round can suspend it (a GEMM loop's queue goes IDLE at each of its synchronizes)
            if (ready != null && priority < ready || dueAbove != null && priority < dueAbove) {
                context.suspend(q.id());
                if (q.ready()) { // a job is held for only when work of a lower queue was there to hold
                    lowestHeld.merge(q.deviceId(), priority, Math::min);
                    heldSince.putIfAbsent(q.id(), now);
                }
            } else {
                context.resume(q.id());
                resumedUndrained(q, heldSince.remove(q.id()), now);
            }
        }
        for (QueueStatus q : status.queues()) {
            PeriodicQueue p = queues.get(q.id());
            Integer held = lowestHeld.get(q.deviceId());
            if (held != null && held < q.hints().priority() && due.contains(q.id())) {
                p.held();
            }
            long wake = p.wake(now, s);
            if (wake != Long.MIN_VALUE && p.ask(wake)) {
                context.timer(wake);
            }
        }
    }

    /**
     * A queue this policy held while it had work, whose status now dates its drain after the round
     * that held it: how long that took is a sample of its device's drain time, taken once per hold.
     */
    private void measureDrain(QueueStatus q) {
        Long since = heldSince.get(q.id());
        long drained = q.drainedSinceNanos();
        if (since != null && since != Long.MIN_VALUE && drained != Long.MIN_VALUE && drained - since >= 0) {
            drainsOf(q.deviceId()).drained(drained - since);
            heldSince.put(q.id(), Long.MIN_VALUE);
            if (LOG.isDebugEnabled()) {
                LOG.debug("ahpf: queue {} drained {} µs after it was held", q.id(), (drained - since) / 1000);
            }
        }
    }

    /**
     * A queue resumed before the status dated its drain took longer to drain than it was held: that
     * long, at least, is a sample too (else the drains longer than a hold, those a lead most needs
     * to know, would never be measured). Only for a queue whose owner dates drains at all.
     */
    private void resumedUndrained(QueueStatus q, Long since, long now) {
        if (since != null && since != Long.MIN_VALUE && q.drainedSinceNanos() != Long.MIN_VALUE) {
            drainsOf(q.deviceId()).drained(now - since);
            if (LOG.isDebugEnabled()) {
                LOG.debug("ahpf: queue {} resumed {} µs after it was held, not yet drained", q.id(), (now - since) / 1000);
            }
        }
    }

    private DrainTime drainsOf(String deviceId) {
        return drains.computeIfAbsent(deviceId, d -> new DrainTime());
    }

    /** Says when a queue's period is found, changes by a tenth or is lost, and when its lead doubles or halves. */
    private static void log(long queueId, PeriodicQueue p, long periodBefore, AnticipationSettings s) {
        long period = p.period();
        long lead = p.lead(s);
        long leadBefore = p.loggedLead();
        if (period != periodBefore && (periodBefore == 0 || period == 0 || Math.abs(period - periodBefore) > periodBefore / 10)) {
            if (period == 0) {
                LOG.info("ahpf: queue {} has no steady period any more", queueId);
            } else {
                LOG.info("ahpf: queue {} has a job every {} µs (± {} µs); its device's lower queues stop {} µs before each", queueId,
                        period / 1000, p.jitter() / 1000, lead / 1000);
                p.loggedLead(lead);
            }
        } else if (period != 0 && periodBefore != 0 && (lead >= 2 * leadBefore || 2 * lead <= leadBefore)) {
            LOG.info("ahpf: queue {}'s lead is {} µs (job every {} µs ± {} µs)", queueId, lead / 1000, period / 1000, p.jitter() / 1000);
            p.loggedLead(lead);
        }
    }

    @Override
    public synchronized void reset() {
        queues.clear();
        heldSince.clear();
        drains.clear();
    }

    /**
     * @param queueId a queue
     * @return its lead now, nanoseconds, or -1 while the policy sees no period in its jobs
     */
    synchronized long leadNanos(long queueId) {
        PeriodicQueue p = queues.get(queueId);
        return p == null || p.period() == 0 ? -1 : p.lead(settings);
    }
}
