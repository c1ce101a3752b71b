package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The link's refresh period as {@code xsched.node.refreshMs} gives it: bad text falls back to 500 ms. */
class RefreshPeriodTest {
    @Test
    void aPeriodInRangeIsTakenAnythingElseIsTheDefault() {
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
}
