package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.RecordingBundleContext;
import xsched.backend.cuda.internal.ffm.CudaNative;

/** The DS component on a host without the NVIDIA driver: no Backend service, nothing to release. */
class CudaBackendAbsenceTest {
    @BeforeEach
    void onlyWithoutADriver() {
        assumeFalse(CudaNative.library().present(), "this host has a CUDA driver; absence cannot be observed here");
    }

    @Test
    void theComponentRegistersNothingAndHasNoDevices() {
        RecordingBundleContext context = new RecordingBundleContext();
        CudaBackend backend = new CudaBackend();

        backend.activate(context.proxy(), Configs.hostWait("turbo"), Map.of("xsched.platform", "cuda", "xsched.preempt.level.max", 1));

        assertThat(context.registered()).isEmpty();
        assertThat(backend.registered()).isFalse();
        assertThat(backend.devices()).isEmpty();
        XpuDevice gpu = new XpuDevice("cuda:0", "cuda", DeviceKind.GPU, "none", PreemptLevel.LAUNCH);
        assertThatThrownBy(() -> backend.open(gpu)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not active");
        backend.close();
        assertThat(context.unregistered()).isZero();
    }
}
