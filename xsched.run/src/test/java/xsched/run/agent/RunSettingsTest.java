package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import xsched.api.LaunchConfig;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
    @Test
    void settingsComeFromTheEnvironment() {
        RunSettings s = RunSettings.from(Map.of("XSCHED_PRIORITY", "7", "XSCHED_UTILIZATION", "40", "XSCHED_DEADLINE", "2.5ms",
                "XSCHED_LEVEL", "2", "XSCHED_NAME", " infer ", "XSCHED_RUN_WINDOW", "32/4", "XSCHED_RUN_WARMUP", "0"), "python3");
        assertThat(s.priority()).hasValue(7);
        assertThat(s.utilization()).hasValue(40);
        assertThat(s.deadline()).contains(Duration.of(2500, ChronoUnit.MICROS));
        assertThat(s.level()).hasValue(2);
        assertThat(s.name()).isEqualTo("infer");
        assertThat(s.window()).contains(new LaunchConfig(32, 4));
        assertThat(s.warmUpCalls()).isZero();
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void nothingSetMeansNothingAskedAndTheProgramsName() {
        RunSettings s = RunSettings.from(Map.of(), "python3");
        assertThat(s.priority()).isEmpty();
        assertThat(s.deadline()).isEmpty();
        assertThat(s.warmUpCalls()).isEqualTo(WarmUp.DEFAULT_CALLS);
        assertThat(s.name()).isEqualTo("python3");
    }

    @Test
    void badValuesAreLeftOutWithAMessageNeverFatal() {
        RunSettings s = RunSettings.from(Map.of("XSCHED_PRIORITY", "4294967306", "XSCHED_UTILIZATION", "many", "XSCHED_DEADLINE", "-1s",
                "XSCHED_LEVEL", "0", "XSCHED_RUN_WINDOW", "8/16", "XSCHED_RUN_WARMUP", "-5"), "p");
        assertThat(s.priority()).isEmpty();
        assertThat(s.utilization()).isEmpty();
        assertThat(s.deadline()).isEmpty();
        assertThat(s.level()).isEmpty();
        assertThat(s.problems()).containsExactlyInAnyOrder(
                "XSCHED_PRIORITY must be in -255…255, not 4294967306; ignored",
                "XSCHED_UTILIZATION must be a whole number, not 'many'; ignored",
                "XSCHED_DEADLINE: must be a duration such as 500us, 10ms or 1s, up to 1 h, not '-1s'; ignored",
                "XSCHED_LEVEL must be in 1…3, not 0; ignored",
                "XSCHED_RUN_WARMUP must be in 0…1000000, not -5; ignored",
                "XSCHED_RUN_WINDOW: batch size 16 must not exceed threshold 8; ignored");
        assertThat(RunSettings.from(Map.of("XSCHED_RUN_WINDOW", "64"), "p").problems()).containsExactly(
                "XSCHED_RUN_WINDOW: a launch window is threshold/batch, two whole numbers such as 64/16, not '64'; ignored");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Durations.parse("500us")).isEqualTo(Duration.of(500, ChronoUnit.MICROS));
        assertThat(Durations.parse("500µs")).isEqualTo(Duration.of(500, ChronoUnit.MICROS));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("250")).as("a bare number is microseconds").isEqualTo(Duration.of(250, ChronoUnit.MICROS));
        assertThat(Durations.parse("100000ns")).isEqualTo(Duration.of(100, ChronoUnit.MICROS));
    }
}
