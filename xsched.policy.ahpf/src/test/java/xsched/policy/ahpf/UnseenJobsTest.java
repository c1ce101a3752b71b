package xsched.policy.ahpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;

/**
 * Jobs whose edges the rounds see late, as a node daemon sees another process's queue: a whole
 * READY period between two rounds (the round finds the foreground, queue 1, priority 10, IDLE with
 * a {@link QueueStatus#readySinceNanos()} that moved), or an IDLE edge found late, which the status
 * may date ({@link QueueStatus#idleSinceNanos()}). Rounds are called by hand on a
 * clock of the test's own; the background (queue 2, priority 0) always has work.
 */
class UnseenJobsTest {
    private static final long MS = 1_000_000;
    private static final long PERIOD = 10 * MS;

    private final AnticipatingPriorityFirst policy = new AnticipatingPriorityFirst();
    private final RecordingContext context = new RecordingContext();
    /** Rounds the policy asked for (off the tests' grid of rounds) that found the background suspended. */
    private int held;

    @Test
    void jobsSeenOnlyAsAMovedReadyTimeOfAnIdleQueueShowTheirPeriodAndHoldTheBackgroundBeforeTheNext() {
        for (int k = 0; k < 12; k++) {
            long arrival = k * PERIOD;
            round(arrival + MS, arrival);
        }
        assertThat(policy.leadNanos(1)).as("the lead once a period is found (-1: none)").isPositive();
        assertThat(suspended()).as("held between jobs").isFalse();
        long next = 12 * PERIOD;
        assertThat(context.timers()).as("the policy asks to look again before the next job").anyMatch(t -> t > 11 * PERIOD + MS && t < next);
        long wake = context.timers().stream().filter(t -> t > 11 * PERIOD + MS && t < next).min(Long::compare).orElseThrow();
        round(wake, 11 * PERIOD);
        assertThat(suspended()).as("held just before the next job").isTrue();
    }

    @Test
    void jobsWhoseEndIsUnknownTeachTheLeadNothing() {
        // rounds every 250 µs and at every time the policy asks for; each job is found IDLE with its
        // new READY time only by the first round after it ended, 0.3 ms or 2.5 ms after it came:
        // taken for job lengths, every other job would look held up by 2.2 ms
        PriorityQueue<Long> rounds = new PriorityQueue<>();
        for (long t = 0; t < 60 * PERIOD; t += 250_000) {
            rounds.add(t);
        }
        int asked = 0;
        long since = Long.MIN_VALUE;
        int k = 0;
        while (!rounds.isEmpty()) {
            long now = rounds.poll();
            while (k * PERIOD + (k % 2 == 0 ? 300_000 : 2_500_000) <= now) {
                since = k * PERIOD;
                k++;
            }
            round(now, since);
            for (; asked < context.timers().size(); asked++) {
                if (context.timers().get(asked) > now) {
                    rounds.add(context.timers().get(asked));
                }
            }
        }
        assertThat(policy.leadNanos(1)).as("the lead (-1: no period found)").isEqualTo(AnticipationSettings.DEFAULT.leastLeadNanos());
        assertThat(held).as("rounds that held the background for a due job").isPositive();
    }

    @Test
    void jobsEndWhereTheStatusDatesTheirIdleEdgeNotWhereARoundFindsThem() {
        // every job is busy 0.5 ms; rounds find its end 0.1 ms or 2 ms late (another process's
        // report on its way): taken for the job's end, every other job would look held up by 1.9 ms
        assertThat(leadWithLateRounds(true)).as("the lead, the IDLE edges dated").isEqualTo(AnticipationSettings.DEFAULT.leastLeadNanos());
        assertThat(held).as("rounds that held the background for a due job").isPositive();
    }

    @Test
    void withoutADatedIdleEdgeTheRoundsLatenessLooksLikeAHeldUpJob() {
        assertThat(leadWithLateRounds(false)).as("the lead, the IDLE edges not dated").isGreaterThan(AnticipationSettings.DEFAULT.leastLeadNanos());
    }

    /** @return the lead after 60 jobs seen READY whose IDLE edge the rounds find late, dated in the status or not */
    private long leadWithLateRounds(boolean dated) {
        PriorityQueue<Long> rounds = new PriorityQueue<>();
        for (int k = 0; k < 60; k++) {
            rounds.add(k * PERIOD);
            rounds.add(k * PERIOD + 500_000 + (k % 2 == 0 ? 100_000 : 2_000_000));
        }
        int asked = 0;
        while (!rounds.isEmpty()) {
            long now = rounds.poll();
            long k = now / PERIOD;
            long arrival = k * PERIOD;
            long end = arrival + 500_000;
            boolean ready = now < end + (k % 2 == 0 ? 100_000 : 2_000_000);
            context.at(now);
            QueueStatus fg = new QueueStatusBuilder(1, "gpu").ready(ready).readySince(arrival)
                    .idleSince(ready || !dated ? Long.MIN_VALUE : end).hints(Hints.priority(10)).build();
            schedule(now, fg);
            for (; asked < context.timers().size(); asked++) {
                if (context.timers().get(asked) > now && context.timers().get(asked) < 60 * PERIOD) {
                    rounds.add(context.timers().get(asked));
                }
            }
        }
        return policy.leadNanos(1);
    }

    @Test
    void theReadyTimeOfAnIdleQueueThePolicyMeetsFirstIsNoJob() {
        round(5 * MS, 0); // an old job, before the policy's time
        for (int k = 10; k <= 12; k++) {
            round(k * PERIOD + MS, k * PERIOD);
        }
        assertThat(policy.leadNanos(1)).as("three jobs, two intervals: no period yet (-1)").isEqualTo(-1);
        round(13 * PERIOD + MS, 13 * PERIOD);
        assertThat(policy.leadNanos(1)).as("four jobs 10 ms apart").isPositive();
    }

    @Test
    void anIdleQueueWhoseReadyTimeStaysHasNoJobs() {
        round(MS, 0);
        for (int k = 1; k < 12; k++) {
            round(k * PERIOD + MS, 0);
        }
        assertThat(policy.leadNanos(1)).as("no period in jobs that never came").isEqualTo(-1);
        assertThat(suspended()).isFalse();
    }

    /** A round at {@code now} that finds the foreground IDLE, last READY at {@code readySince}. */
    private void round(long now, long readySince) {
        context.at(now);
        QueueStatus fg = new QueueStatusBuilder(1, "gpu").ready(false).readySince(readySince).hints(Hints.priority(10)).build();
        schedule(now, fg);
    }

    private void schedule(long now, QueueStatus fg) {
        policy.schedule(new SchedulerStatus(now, List.of(fg, background()), 1, -1, 0), context);
        if (suspended() && now % 250_000 != 0) {
            held++;
        }
    }

    /** @return whether the policy's last decision for the background was to suspend it */
    private boolean suspended() {
        return Boolean.FALSE.equals(context.decided().get(2L));
    }

    private QueueStatus background() {
        return new QueueStatusBuilder(2, "gpu").ready(true).suspended(suspended())
                .readySince(0).hints(Hints.priority(0)).build();
    }
}
