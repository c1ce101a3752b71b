package xsched.backend.support;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CheckedCallsTest {
    private static final CheckedCalls CALLS = new CheckedCalls("Test", 7,
            (rc, function, detail) -> new IllegalArgumentException(function + " returned " + rc + (detail == null ? "" : ": " + detail)));

    @Test
    void successPassesAndAnyOtherCodeThrowsTheVendorsException() {
        CALLS.check(7, "fine");
        CALLS.call(() -> 7, "fine");
        assertThatThrownBy(() -> CALLS.check(3, "testCall")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("testCall returned 3");
        assertThatThrownBy(() -> CALLS.call(() -> 0, "testCall")).hasMessage("testCall returned 0");
        assertThat(CALLS.error(5, "f", "why")).hasMessage("f returned 5: why");
    }

    @Test
    void statusIsReturnedUnchecked() {
        assertThat(CALLS.status(() -> 42)).isEqualTo(42);
    }

    @Test
    void outParametersAreReadOnlyAfterSuccess() {
        assertThat(CALLS.intOut(out -> {
            out.set(JAVA_INT, 0, 1234);
            return 7;
        }, "intCall")).isEqualTo(1234);
        assertThat(CALLS.longOut(out -> {
            out.set(JAVA_LONG, 0, 1L << 40);
            return 7;
        }, "longCall")).isEqualTo(1L << 40);
        assertThatThrownBy(() -> CALLS.longOut(out -> 9, "longCall")).hasMessage("longCall returned 9");
    }

    @Test
    void whatADowncallThrowsComesThroughUnwrappedUnlessChecked() {
        IllegalStateException runtime = new IllegalStateException("runtime");
        assertThatThrownBy(() -> CALLS.call(() -> {
            throw runtime;
        }, "f")).isSameAs(runtime);
        StackOverflowError error = new StackOverflowError();
        assertThatThrownBy(() -> CALLS.status(() -> {
            throw error;
        })).isSameAs(error);
        assertThatThrownBy(() -> CALLS.intOut(out -> {
            throw new IOException("checked");
        }, "f")).isInstanceOf(IllegalStateException.class).hasMessage("unexpected checked exception from a Test downcall")
                .hasCauseInstanceOf(IOException.class);
    }
}
