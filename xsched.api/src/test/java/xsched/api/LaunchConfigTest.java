package xsched.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {
    @Test
    void readsThresholdSlashBatch() {
        assertThat(LaunchConfig.parse("64/16")).isEqualTo(new LaunchConfig(64, 16));
        assertThat(LaunchConfig.parse("1/1")).isEqualTo(new LaunchConfig(1, 1));
        assertThat(LaunchConfig.parse("2147483647/2147483647")).isEqualTo(new LaunchConfig(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertThat(LaunchConfig.parse(new StringBuilder("32/4"))).as("any CharSequence").isEqualTo(new LaunchConfig(32, 4));
    }

    @Test
    void whiteSpaceAroundEachNumberIsAllowed() {
        assertThat(LaunchConfig.parse(" 64 / 16 ")).isEqualTo(new LaunchConfig(64, 16));
        assertThat(LaunchConfig.parse("\t64/\n16")).isEqualTo(new LaunchConfig(64, 16));
    }

    @Test
    void describeIsWhatParseReads() {
        assertThat(new LaunchConfig(64, 16).describe()).isEqualTo("64/16");
        assertThat(LaunchConfig.parse(LaunchConfig.DEFAULT.describe())).isEqualTo(LaunchConfig.DEFAULT);
        assertThat(LaunchConfig.DEFAULT).hasToString("LaunchConfig[threshold=16, batchSize=8]");
    }

    @Test
    void textNotOfTheFormIsRefusedQuoted() {
        for (String text : new String[] {"", " ", "64", "64/", "/16", "/", "64/16/4", "64//16", "64/16/", "x/8", "64/y", "sixty-four/16",
                "64.0/16", "0x40/16", "+64/16", "64 16", "64\\16", "6 4/16", "64/16 and more", "１６/８"}) {
            assertThatThrownBy(() -> LaunchConfig.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a launch window is threshold/batch, two whole numbers such as 64/16, not '" + text + "'");
        }
    }

    @Test
    void numbersOutOfRangeGetTheRecordsMessages() {
        assertThatThrownBy(() -> LaunchConfig.parse("0/0")).hasMessage("threshold must be > 0, not 0");
        assertThatThrownBy(() -> LaunchConfig.parse("-4/1")).hasMessage("threshold must be > 0, not -4");
        assertThatThrownBy(() -> LaunchConfig.parse("8/0")).hasMessage("batch size must be > 0, not 0");
        assertThatThrownBy(() -> LaunchConfig.parse("8/16")).hasMessage("batch size 16 must not exceed threshold 8");
    }

    @Test
    void numbersTooWideForAnIntAreOutOfRangeNotWrapped() {
        assertThatThrownBy(() -> LaunchConfig.parse("2147483648/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must be at most 2147483647, not 2147483648");
        assertThatThrownBy(() -> LaunchConfig.parse("64/99999999999999999999"))
                .hasMessage("batch size must be at most 2147483647, not 99999999999999999999");
        assertThatThrownBy(() -> LaunchConfig.parse("-2147483649/1")).hasMessage("threshold must be > 0, not -2147483649");
    }

    @Test
    void nullIsAProgrammingError() {
        assertThatNullPointerException().isThrownBy(() -> LaunchConfig.parse(null));
    }
}
