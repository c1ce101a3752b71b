package xsched.policy.ahpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xsched.policy.testkit.Hints;
import xsched.policy.testkit.ScriptedEngine;

/**
 * The policy against a simulated device, on the scripted engine's clock: a periodic foreground
 * (queue 1, priority 10) next to a background that always has work (queue 2, priority 0) and runs
 * work units of a fixed length. A unit that has started runs to its end, so a foreground job that
 * arrives before the background's running unit ended is busy that much longer.
 */
class PeriodicJobsTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final long STEP = 20 * US;
    private static final long JOB = 500 * US;

    private final AnticipatingPriorityFirst policy = new AnticipatingPriorityFirst();
    private final ScriptedEngine engine = new ScriptedEngine(policy);
    /**
     * The background's unit length; 0 for none (its work stops at once). Not a divisor of the
     * period, so jobs arrive at every phase of the units, as on a real device; in lockstep, every
     * job would be held up alike and the policy could not tell (its least lead is for that case).
     */
    private long unit = 700 * US;
    /** When the background's running unit ends; it starts units back to back while it runs. */
    private long unitEnd;
    /** How long each job was held up by the background's running unit, in order. */
    private final List<Long> delays = new ArrayList<>();

    PeriodicJobsTest() {
        engine.open(1, "gpu", 100, Hints.priority(10)).openReady(2, "gpu", 200, Hints.priority(0));
        unitEnd = engine.nanoTime() + unit;
    }

    /** Lets time pass in small steps, following the background's units. */
    private void pass(long nanos) {
        long until = engine.nanoTime() + nanos;
        while (engine.nanoTime() < until) {
            long step = Math.min(STEP, until - engine.nanoTime());
            engine.advance(step);
            track();
        }
    }

    private void track() {
        long now = engine.nanoTime();
        if (engine.running(2)) {
            while (unit > 0 && unitEnd <= now) {
                unitEnd += unit;
            }
            if (unit == 0) {
                unitEnd = now;
            }
        }
    }

    /** One foreground job arriving after {@code gap}: busy for JOB plus what is left of the background's unit. */
    private void job(long gap) {
        pass(gap);
        long now = engine.nanoTime();
        long delay = Math.max(0, unitEnd - now);
        delays.add(delay);
        engine.ready(1, true);
        track();
        pass(JOB + delay);
        engine.ready(1, false);
        track();
    }

    private void periodic(int jobs, long period) {
        for (int i = 0; i < jobs; i++) {
            job(period - JOB - delayOfLast());
        }
    }

    private long delayOfLast() {
        return delays.isEmpty() ? 0 : delays.getLast();
    }

    @Test
    void aPeriodicJobFindsTheDeviceFreeOnceItsPeriodAndTheLeadAreLearnt() {
        periodic(400, 10 * MS);

        assertThat(delays.subList(0, 5)).as("before a period is seen, jobs wait for the running unit").anyMatch(d -> d > 0);
        List<Long> learnt = delays.subList(50, delays.size());
        // the lead settles just short of what the unit needs: a few jobs find a short rest of it, none
        // much more than the margin by which a job counts as held up (this simulation's jobs arrive at
        // a few phases of the unit only, 100 µs apart)
        assertThat(learnt).as("jobs held up once the lead is learnt").allMatch(d -> d <= 2 * LeadTime.LEAST_MARGIN_NANOS + STEP);
        assertThat(learnt.stream().filter(d -> d > 0).count()).as("jobs held up at all").isLessThan(learnt.size() / 4);
        assertThat(policy.leadNanos(1)).isBetween(unit / 2, 10 * MS / 4);
        engine.clearRan();
        long start = engine.nanoTime();
        periodic(100, 10 * MS);
        // per 10 ms: the job (0.5 ms), the lead (at most 2.5 ms) and the jitter of the simulation's steps
        assertThat(engine.ranPercent(2, engine.nanoTime() - start)).isGreaterThan(70);
    }

    @Test
    void aJobBackOnItsGridAfterALateOneFindsTheBackgroundHeld() {
        unit = 0; // the background stops at once: the lead stays short
        periodic(100, 10 * MS);
        job(10 * MS - JOB + 400 * US); // 0.4 ms late, as a program's wake-up can be
        pass(10 * MS - JOB - 400 * US - 2 * STEP); // the next one is due on the grid, not a period after the late one
        assertThat(engine.suspended(2)).as("held %d µs before the job, the lead being %d µs", 2 * STEP / US, policy.leadNanos(1) / US).isTrue();
        job(2 * STEP);
        assertThat(delays.getLast()).isZero();
    }

    @Test
    void theLeadShrinksOnceTheBackgroundNoLongerNeedsIt() {
        periodic(150, 10 * MS);
        long learnt = policy.leadNanos(1);
        unit = 0;
        periodic(2 * LeadTime.GIVE_BACK, 10 * MS);
        assertThat(policy.leadNanos(1)).isLessThan(learnt);
        assertThat(delays.subList(delays.size() - 100, delays.size())).containsOnly(0L);
    }

    @Test
    void aLowerQueueIdleWhileAHigherOneRunsIsHeldSoItsNextCommandWaits() {
        engine.ready(2, false); // the background synchronizes: IDLE
        engine.ready(1, true);
        assertThat(engine.suspended(2)).as("IDLE, below a READY queue").isTrue();
        engine.ready(1, false);
        assertThat(engine.suspended(2)).as("nothing above it READY or due").isFalse();
    }

    @Test
    void aLowerQueueIdleWhenAPeriodicJobIsDueIsHeldToo() {
        periodic(100, 10 * MS);
        engine.ready(2, false);
        pass(10 * MS - JOB - delayOfLast() - 2 * STEP); // within the lead before the next job
        assertThat(engine.suspended(2)).as("IDLE, below a due queue").isTrue();
        engine.ready(2, true);
        assertThat(engine.running(2)).as("its next command waits").isFalse();
    }

    @Test
    void jobsForWhichOnlyIdleQueuesWereHeldTeachTheLeadNothing() {
        periodic(100, 10 * MS);
        long learnt = policy.leadNanos(1);
        engine.ready(2, false); // the background has nothing more to do
        for (int i = 0; i < 40; i++) {
            pass(10 * MS - JOB - MS); // every job 1 ms slower than usual, for reasons of its own
            engine.ready(1, true);
            pass(JOB + MS);
            engine.ready(1, false);
        }
        assertThat(policy.leadNanos(1)).isLessThanOrEqualTo(learnt);
    }

    @Test
    void jobsAtNoSteadyPeriodHoldNothingBack() {
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            job(2 * MS + random.nextLong(30 * MS));
            for (int s = 0; s < 50; s++) {
                pass(STEP);
                assertThat(engine.suspended(2)).as("the background while the foreground is IDLE").isFalse();
            }
        }
        assertThat(policy.leadNanos(1)).isEqualTo(-1);
    }

    @Test
    void whenTheNextJobDoesNotComeTheBackgroundRunsAgainAfterTheLead() {
        periodic(100, 10 * MS);
        long lead = policy.leadNanos(1);
        pass(10 * MS - JOB + lead + 2 * STEP); // the job is due at 10 ms - JOB from here; it never comes
        assertThat(engine.suspended(2)).isFalse();
        pass(50 * MS);
        assertThat(engine.suspended(2)).isFalse();
    }

    @Test
    void aPeriodicQueueHoldsBackOnlyLowerQueuesOfItsOwnDevice() {
        engine.openReady(3, "other", 300, Hints.priority(0)).openReady(4, "gpu", 400, Hints.priority(20));
        periodic(50, 10 * MS);
        pass(9 * MS - JOB);
        assertThat(engine.suspended(3)).as("another device's queue").isFalse();
        assertThat(engine.suspended(4)).as("a higher queue").isFalse();
    }
}
