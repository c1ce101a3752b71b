package xsched.policy.ahpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadTimeTest {
    private static final long MOST = 5_000_000;
    private final LeadTime lead = new LeadTime();

    @Test
    void aHeldJobThatTookLongerAddsTheDifference() {
        lead.jobEnded(500_000, false, MOST);
        lead.jobEnded(1_300_000, true, MOST);
        assertThat(lead.nanos(200_000, MOST)).isEqualTo(1_000_000);
    }

    @Test
    void aJobNotHeldBackTeachesNothing() {
        lead.jobEnded(500_000, false, MOST);
        lead.jobEnded(1_300_000, false, MOST);
        assertThat(lead.added()).isZero();
    }

    @Test
    void aJobWithinTheMarginIsOnTime() {
        lead.jobEnded(1_500_000, false, MOST);
        lead.jobEnded(1_649_000, true, MOST); // a tenth of 1.5 ms
        lead.jobEnded(300_000, false, MOST);
        lead.jobEnded(399_000, true, MOST); // at least 100 µs
        assertThat(lead.added()).isZero();
    }

    @Test
    void aJobThatEndsWhileThePeriodIsLostTeachesNothing() {
        lead.jobEnded(500_000, false, MOST);
        lead.jobEnded(1_500_000, true, MOST);
        assertThat(lead.added()).isEqualTo(1_000_000);
        // the period was lost meanwhile: no most to clamp to, and what was learnt stays
        lead.jobEnded(2_500_000, true, 0);
        lead.jobEnded(500_000, true, 0);
        assertThat(lead.added()).isEqualTo(1_000_000);
        assertThat(lead.nanos(200_000, MOST)).isEqualTo(1_200_000);
    }

    @Test
    void theLeadNeverPassesTheMost() {
        lead.jobEnded(500_000, false, MOST);
        for (int i = 0; i < 10; i++) {
            lead.jobEnded(4_500_000, true, MOST);
        }
        assertThat(lead.nanos(200_000, MOST)).isEqualTo(MOST);
    }

    @Test
    void eachHeldJobOnTimeGivesBackAShareOfWhatWasAdded() {
        lead.jobEnded(500_000, false, MOST);
        lead.jobEnded(1_524_000, true, MOST);
        assertThat(lead.added()).isEqualTo(1_024_000);
        lead.jobEnded(500_000, true, MOST);
        assertThat(lead.added()).isEqualTo(1_024_000 - 1_024_000 / LeadTime.GIVE_BACK);
        lead.jobEnded(500_000, false, MOST);
        assertThat(lead.added()).as("a job not held back").isEqualTo(1_024_000 - 1_024_000 / LeadTime.GIVE_BACK);
    }

    @Test
    void slowJobsOfTheirOwnDoNotAddUp() {
        lead.jobEnded(500_000, false, MOST);
        // one job in fifty is 150 µs slow whatever the lead: the lead settles, far below the most
        for (int i = 0; i < 20_000; i++) {
            lead.jobEnded(i % 50 == 0 ? 650_000 : 500_000, true, MOST);
        }
        assertThat(lead.added()).isLessThan(2 * 150_000 * LeadTime.GIVE_BACK / 50);
    }
}
