package xsched.backend.hip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.XpuDevice;
import xsched.backend.hip.HipPlatform;
import xsched.backend.hip.HipUnavailableException;
import xsched.backend.hip.internal.ffm.HipLibrary;
import xsched.backend.hip.internal.ffm.HipRuntime;
import xsched.backend.support.VendorLibrary;

/** The DS component where there is no AMD GPU (CI): it registers nothing and says why, once. */
class HipBackendTest {
    /** Runs {@code action} and returns what it wrote to standard error (slf4j-simple's target). */
    private static String stderrOf(Runnable action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        saved.print(text);
        return text;
    }

    private static long lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).count();
    }

    @Test
    void withTheRealRuntimeAndNoGpuItRegistersNothingAndLogsTheReasonOnce() {
        boolean gpu;
        try {
            HipPlatform.open().close();
            gpu = true;
        } catch (HipUnavailableException e) {
            gpu = false;
        }
        assumeFalse(gpu, "this host has an AMD GPU; the device tests cover registration there");
        RecordingBundleContext context = new RecordingBundleContext();
        HipBackend backend = new HipBackend();
        String log = stderrOf(() -> backend.activate(context.context()));
        assertThat(context.registered()).isEmpty();
        assertThat(backend.registered()).isFalse();
        assertThat(backend.devices()).isEmpty();
        assertThat(lines(log, "HIP backend not registered")).as(log).isEqualTo(1);
        String reason = backend.unregisteredReason().orElseThrow();
        assertThat(log).contains(reason);
        if (HipRuntime.library().present()) {
            assertThat(reason).startsWith("HIP unsupported because the HIP runtime").contains("found no AMD GPU")
                    .contains("hipGetDeviceCount");
        } else {
            assertThat(reason).contains("could not be loaded");
        }
        System.out.println("[hip tests] the DS component registered nothing: " + reason);
        backend.close();
        assertThat(context.registered()).isEmpty();
    }

    @Test
    void withoutTheLibraryItRegistersNothingAndLogsTheReasonOnce() {
        VendorLibrary missing = HipLibrary.open(List.of("/nonexistent/libamdhip64.so.6"));
        RecordingBundleContext context = new RecordingBundleContext();
        HipBackend backend = new HipBackend(() -> {
            throw new HipUnavailableException(missing.absentReason().orElseThrow(), null);
        });
        String log = stderrOf(() -> backend.activate(context.context()));
        assertThat(context.registered()).isEmpty();
        assertThat(lines(log, "HIP backend not registered")).as(log).isEqualTo(1);
        assertThat(backend.unregisteredReason()).get().asString().contains("/nonexistent/libamdhip64.so.6");
        backend.close();
    }

    @Test
    void anInactiveBackendOpensNoQueue() {
        HipBackend backend = new HipBackend(() -> {
            throw new HipUnavailableException("the test says so", null);
        });
        backend.activate(new RecordingBundleContext().context());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.open(new XpuDevice("hip:0", "hip",
                xsched.api.DeviceKind.GPU, "x", xsched.api.PreemptLevel.LAUNCH)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not active");
        assertThat(backend.platform()).isEqualTo("hip");
        assertThat(backend.rank()).isEqualTo(HipBackend.RANK);
    }
}
