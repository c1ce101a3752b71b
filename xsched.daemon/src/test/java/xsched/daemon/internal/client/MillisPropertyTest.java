package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Millisecond settings from system properties: the link's refresh period ({@code xsched.node.refreshMs},
 * 50…60000, default 500) and the hold of a suspended queue's narrow window (0 to a day): a value
 * in range is taken, anything else is the default.
 */
class MillisPropertyTest {
    @Test
    void aRefreshPeriodInRangeIsTakenAnythingElseIsTheDefault() {
        assertThat(NodeLink.refreshMillis(null)).isEqualTo(500);
        assertThat(NodeLink.refreshMillis(" ")).isEqualTo(500);
        assertThat(NodeLink.refreshMillis("50")).isEqualTo(50);
        assertThat(NodeLink.refreshMillis(" 2000 ")).isEqualTo(2000);
        assertThat(NodeLink.refreshMillis("60000")).isEqualTo(60_000);
        assertThat(NodeLink.refreshMillis("49")).as("too often").isEqualTo(500);
        assertThat(NodeLink.refreshMillis("60001")).as("too seldom").isEqualTo(500);
        assertThat(NodeLink.refreshMillis("1s")).as("not a number").isEqualTo(500);
        assertThat(NodeLink.refreshMillis("99999999999999999999")).as("overflow").isEqualTo(500);
    }

    @Test
    void aHoldBeyondADayIsTheDefaultNotAnOverflow() {
        System.setProperty(SuspendedWindows.HOLD_PROPERTY, "9999999999999");
        try {
            SuspendedWindows w = SuspendedWindows.fromSystemProperties();
            assertThat(w).as("made, with the default hold").isNotNull();
        } finally {
            System.clearProperty(SuspendedWindows.HOLD_PROPERTY);
        }
    }

    @Test
    void anUnboundedSettingTakesZeroAndUpAndRefusesNegatives() {
        assertThat(MillisProperty.parse("p", "0", 0, Long.MAX_VALUE, 7)).isZero();
        assertThat(MillisProperty.parse("p", String.valueOf(Long.MAX_VALUE), 0, Long.MAX_VALUE, 7)).isEqualTo(Long.MAX_VALUE);
        assertThat(MillisProperty.parse("p", "-1", 0, Long.MAX_VALUE, 7)).isEqualTo(7);
        assertThat(MillisProperty.parse("p", "1.5", 0, Long.MAX_VALUE, 7)).isEqualTo(7);
        assertThat(MillisProperty.parse("p", null, 0, Long.MAX_VALUE, 7)).isEqualTo(7);
    }
}
