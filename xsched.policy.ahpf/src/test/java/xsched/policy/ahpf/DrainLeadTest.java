package xsched.policy.ahpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * The lead taken from how long the held queues took to drain ({@link QueueStatus#drainedSinceNanos()}):
 * a periodic foreground (queue 1, priority 10, a 0.5 ms job every 10 ms, every tenth 1 ms slower for
 * reasons of its own) over a background that always has work (queue 2, priority 0) and drains a
 * fixed time after the round that suspends it. Rounds every 250 µs and whenever the policy asks.
 */
class DrainLeadTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final long PERIOD = 10 * MS;
    private static final long JOBS = 80;

    private final AnticipatingPriorityFirst policy = new AnticipatingPriorityFirst();
    private final RecordingContext context = new RecordingContext();
    private long heldAt = Long.MIN_VALUE;
    private long drained = Long.MIN_VALUE;

    @Test
    void theLeadIsTheLongestDrainPlusHalfWhateverTheJobsSpans() {
        assertThat(leadAfterJobs(300 * US, true, true)).isEqualTo(450 * US);
        policyReset();
        assertThat(leadAfterJobs(100 * US, true, true)).as("at least the margin added").isEqualTo(100 * US + PeriodicQueue.DRAIN_MARGIN_NANOS);
    }

    @Test
    void withoutDrainsTheSlowJobsOfTheirOwnMakeTheSpanRuleLeadLonger() {
        assertThat(leadAfterJobs(300 * US, false, true)).isGreaterThan(450 * US);
    }

    @Test
    void aLongDrainAddsHalfAndTheLeadStaysWithinTheMost() {
        assertThat(leadAfterJobs(1600 * US, true, true)).isEqualTo(2400 * US);
        policyReset();
        assertThat(leadAfterJobs(5 * MS, true, true)).as("a quarter of the period at most").isEqualTo(PERIOD / 4);
    }

    @Test
    void queuesHeldWhileIdleTeachNoDrain() {
        assertThat(leadAfterJobs(300 * US, true, false)).as("the span rule's lead: no drain measured")
                .isEqualTo(leadAfterJobs(300 * US, false, false));
    }

    private void policyReset() {
        policy.reset();
        context.clear();
        heldAt = Long.MIN_VALUE;
        drained = Long.MIN_VALUE;
    }

    /**
     * @param drain           how long the background takes to drain once suspended
     * @param dated           whether its status dates its drain
     * @param backgroundReady whether the background has work (else it is IDLE throughout)
     * @return the foreground's lead after {@value #JOBS} jobs
     */
    private long leadAfterJobs(long drain, boolean dated, boolean backgroundReady) {
        return leadAfterJobs(k -> drain, dated, backgroundReady);
    }

    @Test
    void aQueueStillDrainingWhenResumedCountsAsLongAsItWasHeld() {
        // first drains of 300 µs, then a background whose work never drains within a hold
        long lead = leadAfterJobs(k -> k < 30 ? 300 * US : 50 * MS, true, true);
        assertThat(lead).as("the lead, from the holds that ended undrained").isEqualTo(PERIOD / 4);
    }

    @Test
    void aQueueThatNeverDatesADrainTeachesNoLowerBounds() {
        assertThat(leadAfterJobs(k -> 50 * MS, true, true)).as("the span rule's lead")
                .isEqualTo(leadAfterJobs(k -> 50 * MS, false, true));
    }

    private long leadAfterJobs(java.util.function.LongUnaryOperator drainOfJob, boolean dated, boolean backgroundReady) {
        PriorityQueue<Long> rounds = new PriorityQueue<>();
        for (long t = 0; t < JOBS * PERIOD; t += 250 * US) {
            rounds.add(t);
        }
        for (int k = 0; k < JOBS; k++) {
            rounds.add(k * PERIOD);
            rounds.add(k * PERIOD + span(k));
        }
        int asked = 0;
        long last = -1;
        while (!rounds.isEmpty()) {
            long now = rounds.poll();
            if (now == last) {
                continue;
            }
            last = now;
            long k = now / PERIOD;
            long arrival = k * PERIOD;
            boolean ready = now < arrival + span(k);
            long drain = drainOfJob.applyAsLong(k);
            if (dated && heldAt != Long.MIN_VALUE && now >= heldAt + drain) {
                drained = heldAt + drain;
            }
            context.at(now);
            QueueStatus fg = new QueueStatusBuilder(1, "gpu").ready(ready).readySince(arrival)
                    .idleSince(ready ? Long.MIN_VALUE : arrival + span(k)).hints(Hints.priority(10)).build();
            QueueStatus bg = new QueueStatusBuilder(2, "gpu").ready(backgroundReady).suspended(suspended()).readySince(0)
                    .drainedSince(drained).hints(Hints.priority(0)).build();
            boolean wasHeld = suspended();
            policy.schedule(new SchedulerStatus(now, List.of(fg, bg), 1, -1, 0), context);
            if (suspended() && !wasHeld) {
                heldAt = now;
            } else if (!suspended()) {
                heldAt = Long.MIN_VALUE;
            }
            for (; asked < context.timers().size(); asked++) {
                if (context.timers().get(asked) > now && context.timers().get(asked) < JOBS * PERIOD) {
                    rounds.add(context.timers().get(asked));
                }
            }
        }
        return policy.leadNanos(1);
    }

    private static long span(long k) {
        return k % 10 == 9 ? 1500 * US : 500 * US;
    }

    private boolean suspended() {
        return Boolean.FALSE.equals(context.decided().get(2L));
    }
}
