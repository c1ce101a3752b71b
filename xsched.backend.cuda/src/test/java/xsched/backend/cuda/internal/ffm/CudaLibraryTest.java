package xsched.backend.cuda.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.support.VendorLibrary;

/** The CUDA driver's specification; the loading itself is tested in xsched.backend.support. */
class CudaLibraryTest {
    @Test
    void aMissingLibraryIsAbsentWithTheLoadersReason() {
        VendorLibrary lib = CudaLibrary.open(List.of("libxsched-no-such-driver.so.1"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.source()).isEmpty();
        assertThat(lib.find("cuInit")).isEmpty();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the CUDA driver library could not be loaded")
                .contains("libxsched-no-such-driver.so.1"));
    }

    @Test
    void aLibraryWithoutCuInitIsNotTakenForTheDriver() {
        VendorLibrary lib = CudaLibrary.open(List.of("libc.so.6"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("libc.so.6: it does not export cuInit"));
    }
}
