package xsched.backend.cuda.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.support.VendorLibrary;

/** Green contexts as a capability: absent with the reason, never a crash, wherever a driver or symbol is missing. */
class CudaGreenContextsTest {
    @Test
    void withoutTheDriverLibraryTheReasonIsTheLoaders() {
        VendorLibrary absent = CudaLibrary.open(List.of("libxsched-no-such-driver.so.1"));

        assertThat(CudaGreenContexts.unsupportedReason(absent)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the CUDA driver library could not be loaded")
                .contains("libxsched-no-such-driver.so.1"));
    }

    @Test
    void aLibraryWithoutTheEntryPointsIsTooOld() {
        // A present library that exports none of them, as a driver before CUDA 12.4 would.
        VendorLibrary old = new VendorLibrary.Spec("libc.so.6", "xsched.test.no-such-property", List.of(), "malloc",
                "libc", "libc", "").open();
        assertThat(old.present()).isTrue();

        assertThat(CudaGreenContexts.unsupportedReason(old)).contains("the CUDA driver libc.so.6 does not export "
                + "cuDeviceGetDevResource (green contexts need a driver of CUDA 12.5 or later)");
    }

    @Test
    void everyEntryPointIsChecked() {
        assertThat(CudaGreenContexts.SYMBOLS).containsExactlyInAnyOrder("cuDeviceGetDevResource",
                "cuDevSmResourceSplitByCount", "cuDevResourceGenerateDesc", "cuGreenCtxCreate", "cuGreenCtxDestroy",
                "cuGreenCtxStreamCreate", "cuCtxFromGreenCtx", "cuGreenCtxGetDevResource");
    }
}
