package xsched.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoReportTest {
    private static DemoRunner.Result p99(String mode, double millis) {
        return new DemoRunner.Result(mode, new LatencyStats(300, millis / 2, millis, millis / 2), 0);
    }

    @Test
    void theGoalIsMetWhenXschedStaysWithinItAndTheBackgroundHurtsWithoutIt() {
        DemoReport.Verdict v = DemoReport.verdict(p99("alone", 10), p99("native", 120), p99("xsched", 11));
        assertThat(v.met()).isTrue();
        assertThat(v.line()).startsWith("verdict: goal MET:").contains("1.10x standalone (goal <= 1.2x: met)")
                .contains("without xsched 12.00x (must be >= 2.0x: yes)");
    }

    @Test
    void theGoalIsMissedWhenXschedExceedsIt() {
        DemoReport.Verdict v = DemoReport.verdict(p99("alone", 10), p99("native", 120), p99("xsched", 13));
        assertThat(v.met()).isFalse();
        assertThat(v.line()).startsWith("verdict: goal NOT MET:").contains("1.30x standalone (goal <= 1.2x: missed)");
    }

    @Test
    void theGoalIsMissedWhenTheBackgroundDoesNotHurtWithoutXsched() {
        DemoReport.Verdict v = DemoReport.verdict(p99("alone", 10), p99("native", 15), p99("xsched", 10));
        assertThat(v.xschedMet()).isTrue();
        assertThat(v.met()).isFalse();
        assertThat(v.line()).startsWith("verdict: goal NOT MET:").contains("(must be >= 2.0x: no)");
    }
}
