package xsched.backend.npu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.ZePlatform;
import xsched.backend.levelzero.ZeUnavailableException;
import xsched.backend.levelzero.internal.ErrCapture;
import xsched.backend.levelzero.internal.RecordingBundleContext;
import xsched.backend.levelzero.internal.ze.ZeLibrary;
import xsched.backend.levelzero.internal.ze.ZeNative;

/**
 * The NPU component where there is nothing to drive: the loader is installed but no driver is (this
 * CI host: {@code zeInit} fails), or the loader itself is missing. It registers nothing, has no
 * devices, and logs the reason exactly once.
 */
class NpuBackendAbsenceTest {
    private static final String LINE = "Intel NPU backend not registered";

    @Test
    void withTheLoaderButNoDriverTheComponentRegistersNothingAndSaysWhyOnce() {
        assumeTrue(ZeNative.library().present(), "the Level Zero loader is not installed (apt-get install libze1)");
        String reason;
        try {
            ZePlatform.open(ZeDeviceType.VPU).close();
            assumeTrue(false, "this host has an Intel NPU; absence cannot be observed here");
            return;
        } catch (ZeUnavailableException e) {
            reason = e.getMessage();
        }
        RecordingBundleContext context = new RecordingBundleContext();
        NpuBackend backend = new NpuBackend();

        List<String> log = ErrCapture.lines(() -> backend.activate(context.context()));

        assertThat(context.registered()).isEmpty();
        assertThat(backend.registered()).isFalse();
        assertThat(backend.devices()).isEmpty();
        assertThat(backend.absentReason()).contains(reason);
        assertThat(ErrCapture.count(log, LINE)).as("log lines saying why: %s", log).isEqualTo(1);
        XpuDevice npu = new XpuDevice("npu:0", "npu", DeviceKind.NPU, "none", PreemptLevel.LAUNCH);
        assertThatThrownBy(() -> backend.open(npu)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the Intel NPU backend is not active");
        backend.close();
        System.out.println("[npu tests] NPU backend with the loader and no driver: registered nothing; " + reason);
    }

    @Test
    void withoutTheLoaderTheComponentRegistersNothingAndSaysWhyOnce() {
        String reason = ZeLibrary.open(List.of("/nonexistent/libze_loader.so.1")).absentReason().orElseThrow();
        RecordingBundleContext context = new RecordingBundleContext();
        NpuBackend backend = new NpuBackend(() -> {
            throw new ZeUnavailableException(reason, null);
        }, QueueSuspend.NONE);

        List<String> log = ErrCapture.lines(() -> backend.activate(context.context()));

        assertThat(context.registered()).isEmpty();
        assertThat(backend.platform()).isEqualTo("npu");
        assertThat(ErrCapture.count(log, LINE)).as("log lines saying why: %s", log).isEqualTo(1);
        assertThat(log).anyMatch(l -> l.contains(LINE) && l.contains("intel-level-zero-npu"));
        backend.close();
    }

    @Test
    void noDriverOffersQueueSuspendYetAndTheAnswerSaysWhereItWouldComeFrom() {
        QueueSuspend.Support support = QueueSuspend.NONE.probe(null);

        assertThat(support).isInstanceOfSatisfying(QueueSuspend.Support.Absent.class, absent -> assertThat(absent.why())
                .contains("API 1.4").contains("VPU_JSM_MSG_HWS_SUSPEND_CMDQ").contains("ivpu"));
    }
}
