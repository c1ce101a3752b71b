package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Numbers are parsed at their real width: a value that an (int) cast would wrap is an error naming the value. */
class ArgumentsTest {
    @Test
    void intValueRejectsWhatAnIntCastWouldWrap() {
        // 4294967306 = 2^32 + 10: an (int) cast of the parsed long gives 10
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("4294967306", "priority", -255, 255))
                .withMessage("priority must be in -255…255, not 4294967306");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("2147483648", "threshold", 1, Integer.MAX_VALUE))
                .withMessage("threshold must be in 1…2147483647, not 2147483648");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("-4294967295", "k", 1, 1024))
                .withMessage("k must be in 1…1024, not -4294967295");
    }

    @Test
    void numbersBeyondALongAreOutOfRangeNotMalformed() {
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("99999999999999999999", "batch", 1, Integer.MAX_VALUE))
                .withMessage("batch must be in 1…2147483647, not 99999999999999999999");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.integer("18446744073709551626", "queue id"))
                .withMessageContaining("queue id must be in").withMessageEndingWith("not 18446744073709551626");
    }

    @Test
    void acceptsTheWholeRangeAndNothingElse() {
        assertThat(Arguments.intValue(" -255 ", "priority", -255, 255)).isEqualTo(-255);
        assertThat(Arguments.intValue("255", "priority", -255, 255)).isEqualTo(255);
        assertThat(Arguments.intValue("2147483647", "n", 1, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Arguments.longValue("9223372036854775807", "n", 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Arguments.integer("-1", "pid")).isEqualTo(-1);
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("256", "priority", -255, 255))
                .withMessage("priority must be in -255…255, not 256");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("1.5", "k", 1, 1024))
                .withMessage("k must be a whole number, not '1.5'");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.intValue("", "k", 1, 1024))
                .withMessage("k must be a whole number, not ''");
    }

    @Test
    void durationsTooLongForALongAreErrorsNotClamped() {
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.duration("1e300s", "deadline"))
                .withMessageContaining("deadline must be a duration");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.duration("NaN", "deadline"))
                .withMessageContaining("deadline must be a duration");
        assertThatIllegalArgumentException().isThrownBy(() -> Arguments.duration("-1ms", "deadline"))
                .withMessageContaining("deadline must be a duration");
        assertThat(Arguments.duration("9000000000s", "t")).isEqualTo(Duration.ofSeconds(9_000_000_000L));
    }
}
