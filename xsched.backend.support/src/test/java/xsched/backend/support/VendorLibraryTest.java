package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VendorLibraryTest {
    private static final String PROPERTY = "xsched.test.vendor.library";
    private final VendorLibrary.Spec spec = new VendorLibrary.Spec("libxsched-no-such-vendor.so.1", PROPERTY,
            List.of("/nonexistent/libxsched-vendor.so.1"), "xschedVendorInit", "the test vendor library",
            "a test vendor driver", "; install the test vendor's driver");

    @Test
    void aMissingLibraryIsAbsentWithTheLoadersReasonAndTheAdvice() {
        VendorLibrary lib = spec.open();

        assertThat(lib.present()).isFalse();
        assertThat(lib.source()).isEmpty();
        assertThat(lib.find("xschedVendorInit")).isEmpty();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the test vendor library could not be loaded (libxsched-no-such-vendor.so.1: ")
                .endsWith("); install the test vendor's driver"));
    }

    @Test
    void aLibraryWithoutTheProbeSymbolIsNotTakenForTheVendors() {
        VendorLibrary lib = spec.open(List.of("libc.so.6"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("libc.so.6: it does not export xschedVendorInit, so it is not a test vendor driver"));
    }

    @Test
    void theFirstCandidateThatExportsTheProbeWins() {
        VendorLibrary.Spec libc = new VendorLibrary.Spec("libc.so.6", PROPERTY, List.of(), "malloc", "libc", "libc", "");

        VendorLibrary lib = libc.open(List.of("libxsched-no-such-vendor.so.1", "libc.so.6"));

        assertThat(lib.present()).isTrue();
        assertThat(lib.source()).contains("libc.so.6");
        assertThat(lib.absentReason()).isEmpty();
        assertThat(lib.find("malloc")).isPresent();
    }

    @Test
    void theSystemPropertyReplacesTheSonameAndFallbacks() {
        assertThat(spec.candidates()).containsExactly("libxsched-no-such-vendor.so.1");
        System.setProperty(PROPERTY, " /opt/vendor/libvendor.so ");
        try {
            assertThat(spec.candidates()).containsExactly("/opt/vendor/libvendor.so");
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Test
    void noCandidatesIsAbsentToo() {
        assertThat(spec.open(List.of()).absentReason()).contains("no library was named");
    }
}
