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
        lead.jobEnded(1_000_000, false, MOST);
        lead.jobEnded(1_099_000, true, MOST);
        assertThat(lead.added()).isZero();
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
    void anEighthOfWhatWasAddedIsGivenBackAfterARunOfJobsOnTime() {
        lead.jobEnded(500_000, false, MOST);
        lead.jobEnded(1_300_000, true, MOST);
        for (int i = 0; i < LeadTime.DECAY_AFTER - 1; i++) {
            lead.jobEnded(500_000, true, MOST);
        }
        assertThat(lead.added()).isEqualTo(800_000);
        lead.jobEnded(500_000, true, MOST);
        assertThat(lead.added()).isEqualTo(700_000);
    }
}
