package xsched.backend.cuda.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaLibraryTest {
    @Test
    void aMissingLibraryIsAbsentWithTheLoadersReason() {
        CudaLibrary lib = CudaLibrary.open(List.of("libxsched-no-such-driver.so.1"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.source()).isEmpty();
        assertThat(lib.find("cuInit")).isEmpty();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the CUDA driver library could not be loaded")
                .contains("libxsched-no-such-driver.so.1"));
    }

    @Test
    void aLibraryWithoutCuInitIsNotTakenForTheDriver() {
        CudaLibrary lib = CudaLibrary.open(List.of("libc.so.6"));

        assertThat(lib.present()).isFalse();
        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("libc.so.6: it does not export cuInit"));
    }

    @Test
    void theFirstCandidateThatLoadsWinsAndFailuresBeforeItAreSkipped() {
        CudaLibrary lib = CudaLibrary.open(List.of("libxsched-no-such-driver.so.1", "libc.so.6"));

        assertThat(lib.absentReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("libxsched-no-such-driver.so.1").contains("libc.so.6"));
    }

    @Test
    void noCandidatesIsAbsentToo() {
        assertThat(CudaLibrary.open(List.of()).absentReason()).contains("no library was named");
    }
}
