package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;

/** What a host without the NVIDIA driver (CI) sees: a clear reason and no service. */
class CudaAbsenceTest {
    @BeforeEach
    void onlyWithoutADriver() {
        assumeFalse(CudaNative.library().present(), "this host has a CUDA driver; absence cannot be observed here");
    }

    @Test
    void openingThePlatformSaysWhyCudaIsUnsupported() {
        assertThatThrownBy(CudaPlatform::open)
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("CUDA unsupported because the CUDA driver library could not be loaded")
                .hasMessageContaining("libcuda.so.1")
                .satisfies(e -> assertThat(((CudaUnavailableException) e).reason()).doesNotStartWith("CUDA unsupported"));
    }

    @Test
    void aDriverCallWithoutTheLibraryFailsWithTheReasonNotACrash() {
        assertThatThrownBy(CudaDriver::init)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("cuInit: CUDA unsupported because");
        assertThat(CudaDriver.errorName(700)).isEqualTo("CUDA_ERROR_700");
    }
}
