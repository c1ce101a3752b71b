package xsched.policy.ahpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalPatternTest {
    private final ArrivalPattern pattern = new ArrivalPattern();

    private void arrivals(long... at) {
        for (long t : at) {
            pattern.arrived(t);
        }
    }

    @Test
    void threeSteadyIntervalsMakeAPeriod() {
        arrivals(0, 100, 200);
        assertThat(pattern.periodic()).isFalse();
        pattern.arrived(305);
        assertThat(pattern.periodic()).isTrue();
        assertThat(pattern.period()).isEqualTo(100);
        assertThat(pattern.jitter()).isEqualTo(5);
        assertThat(pattern.expected()).isEqualTo(405);
    }

    @Test
    void oneLateWakeUpDoesNotSetTheJitter() {
        arrivals(0, 100, 200, 300, 400, 500, 600, 708, 800);
        assertThat(pattern.period()).isEqualTo(100);
        assertThat(pattern.jitter()).as("seven intervals of 100, one of 108 and one of 92").isZero();
    }

    @Test
    void twoLateArrivalsAmongEightKeepThePeriod() {
        arrivals(0, 100, 200, 300, 400, 500, 600, 700, 800);
        // two jobs 30 late: four of the eight intervals stray by more than an eighth
        arrivals(930, 1000, 1130, 1200);
        assertThat(pattern.periodic()).isTrue();
        assertThat(pattern.period()).isEqualTo(100);
        assertThat(pattern.expected()).isEqualTo(1300);
    }

    @Test
    void arrivalsAsScatteredAsThatDoNotMakeAPeriodInTheFirstPlace() {
        arrivals(0, 130, 200, 330, 400, 500, 600, 700, 800);
        assertThat(pattern.periodic()).as("four of eight intervals steady, a queue not yet periodic").isFalse();
    }

    @Test
    void aPeriodIsLostOnceFewerThanHalfTheIntervalsStay() {
        arrivals(0, 100, 200, 300, 400, 500, 600, 700, 800);
        arrivals(930, 1000, 1130, 1200, 1330);
        assertThat(pattern.periodic()).as("five of eight intervals stray").isFalse();
    }

    @Test
    void aSkippedJobIsAnOutlier() {
        arrivals(0, 100, 200, 300, 500, 600, 700);
        assertThat(pattern.period()).isEqualTo(100);
        assertThat(pattern.jitter()).isZero();
    }

    @Test
    void scatteredArrivalsHaveNoPeriod() {
        arrivals(0, 100, 400, 450, 1000, 1030, 2000);
        assertThat(pattern.periodic()).isFalse();
        assertThat(pattern.period()).isZero();
    }

    @Test
    void aNewPeriodTakesOverOnceItHoldsMostIntervals() {
        arrivals(0, 100, 200, 300, 400);
        for (long t = 600; t <= 600 + 200 * 6; t += 200) {
            pattern.arrived(t);
        }
        assertThat(pattern.period()).isEqualTo(200);
    }

    @Test
    void onAGridALateLastArrivalLeavesTheNextJobDueOnTheGrid() {
        arrivals(0, 100, 200, 300, 400, 500, 600, 704);
        assertThat(pattern.expected()).isEqualTo(804);
        assertThat(pattern.earliestDue()).as("the grid's next point").isEqualTo(800);
        pattern.arrived(800);
        assertThat(pattern.earliestDue()).isEqualTo(900);
    }

    @Test
    void theEarliestDueIsAnEighthOfThePeriodBeforeTheExpectedAtMost() {
        arrivals(0, 100, 200, 300, 400, 500, 600, 730);
        assertThat(pattern.expected()).isEqualTo(830);
        assertThat(pattern.earliestDue()).as("800 lies more than an eighth before 830: a job late by that much left the grid").isEqualTo(830);
    }

    @Test
    void arrivalsAPeriodAfterTheLastHaveNoEarlierDue() {
        arrivals(0, 102, 204, 306, 408, 512, 614); // each a period after the last, one a little late, which moved them all
        assertThat(pattern.period()).isEqualTo(102);
        assertThat(pattern.expected()).isEqualTo(716);
        assertThat(pattern.earliestDue()).as("carried from before the late one").isEqualTo(714);
    }

    @Test
    void arrivalsThatDriftShowNoGrid() {
        arrivals(0, 103, 201, 305, 406, 503, 608, 710); // each about a period after the last
        assertThat(pattern.period()).isEqualTo(102);
        assertThat(pattern.expected()).isEqualTo(812);
        assertThat(pattern.earliestDue()).as("503 carried forward says 809, and only three others agree within the jitter of 4").isEqualTo(812);
    }

    @Test
    void anArrivalBeforeTheLastForgetsTheGrid() {
        arrivals(1000, 1100, 1200, 1300);
        arrivals(50, 150, 250, 355);
        assertThat(pattern.earliestDue()).as("carried from 50, 150 and 250; nothing from before 50").isEqualTo(450);
    }

    @Test
    void anArrivalBeforeTheLastStartsAfresh() {
        arrivals(1000, 1100, 1200, 1300);
        assertThat(pattern.periodic()).isTrue();
        pattern.arrived(50);
        assertThat(pattern.periodic()).isFalse();
        assertThat(pattern.lastArrival()).isEqualTo(50);
    }
}
