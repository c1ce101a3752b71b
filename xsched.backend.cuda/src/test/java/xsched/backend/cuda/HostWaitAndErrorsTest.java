package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostWaitAndErrorsTest {
    @Test
    void hostWaitModesParseAndMapToTheDriversFlags() {
        assertThat(HostWait.parse(" Blocking ")).isEqualTo(HostWait.BLOCKING);
        assertThat(HostWait.BLOCKING.flag()).isEqualTo(4);
        assertThat(HostWait.SPIN.flag()).isEqualTo(1);
        assertThat(HostWait.AUTO.flag()).isZero();
        assertThatThrownBy(() -> HostWait.parse("turbo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown host wait mode 'turbo'; use auto, spin, yield or blocking");
        assertThat(HostWait.fromSystemProperty()).isEqualTo(HostWait.AUTO);
    }

    @Test
    void syncPointWaitIsSpinUnlessBlockingIsAskedForAndAnUnknownValueIsNamed() {
        assertThat(HostWait.pointsBlockFrom(null)).isFalse();
        assertThat(HostWait.pointsBlockFrom(" ")).isFalse();
        assertThat(HostWait.pointsBlockFrom("Spin")).isFalse();
        assertThat(HostWait.pointsBlockFrom(" BLOCKING ")).isTrue();
        assertThatThrownBy(() -> HostWait.pointsBlockFrom("sleep")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HostWait.POINT_PROPERTY).hasMessageContaining("'sleep'").hasMessageContaining("spin or blocking");
    }

    @Test
    void exceptionsCarryTheFunctionCodeAndName() {
        CudaException e = new CudaException("cuLaunchKernel", 1, "CUDA_ERROR_INVALID_VALUE", "invalid argument", null);
        CudaException jit = new CudaException("cuModuleLoadDataEx", 218, "CUDA_ERROR_INVALID_PTX",
                "a PTX JIT compilation failed", "JIT log: ptxas fatal : Unexpected token\n");

        assertThat(e).hasMessage("cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (1): invalid argument");
        assertThat(e.function()).isEqualTo("cuLaunchKernel");
        assertThat(e.code()).isEqualTo(1);
        assertThat(e.errorName()).isEqualTo("CUDA_ERROR_INVALID_VALUE");
        assertThat(jit).hasMessage("cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX (218): a PTX JIT compilation failed"
                + " — JIT log: ptxas fatal : Unexpected token");
        assertThat(new CudaUnavailableException("no CUDA device was found", null))
                .hasMessage("CUDA unsupported because no CUDA device was found");
    }
}
