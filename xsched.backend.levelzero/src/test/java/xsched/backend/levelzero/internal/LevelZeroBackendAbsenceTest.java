package xsched.backend.levelzero.internal;

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
import xsched.backend.levelzero.internal.ze.ZeLibrary;
import xsched.backend.levelzero.internal.ze.ZeNative;
import xsched.backend.support.VendorLibrary;

/**
 * The DS component where there is nothing to drive: the loader is installed but no driver is (this
 * CI host: {@code zeInit} fails), or the loader itself is missing. It registers nothing, has no
 * devices, and logs the reason exactly once.
 */
class LevelZeroBackendAbsenceTest {
    private static final String LINE = "Level Zero GPU backend not registered";

    @Test
    void withTheLoaderButNoDriverTheComponentRegistersNothingAndSaysWhyOnce() {
        assumeTrue(ZeNative.library().present(), "the Level Zero loader is not installed (apt-get install libze1)");
        String reason;
        try {
            ZePlatform.open(ZeDeviceType.GPU).close();
            assumeTrue(false, "this host has a Level Zero GPU; absence cannot be observed here");
            return;
        } catch (ZeUnavailableException e) {
            reason = e.getMessage();
        }
        RecordingBundleContext context = new RecordingBundleContext();
        LevelZeroBackend backend = new LevelZeroBackend();

        List<String> log = ErrCapture.lines(() -> backend.activate(context.context()));

        assertThat(context.registered()).isEmpty();
        assertThat(backend.registered()).isFalse();
        assertThat(backend.devices()).isEmpty();
        assertThat(backend.absentReason()).contains(reason);
        assertThat(reason).startsWith("Level Zero unsupported because ");
        assertThat(ErrCapture.count(log, LINE)).as("log lines saying why: %s", log).isEqualTo(1);
        XpuDevice gpu = new XpuDevice("levelzero:0", "levelzero", DeviceKind.GPU, "none", PreemptLevel.LAUNCH);
        assertThatThrownBy(() -> backend.open(gpu)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not active");
        backend.close();
        assertThat(context.registered()).isEmpty();
        System.out.println("[levelzero tests] GPU backend with the loader and no driver: registered nothing; " + reason);
    }

    @Test
    void withoutTheLoaderTheComponentRegistersNothingAndSaysWhyOnce() {
        VendorLibrary missing = ZeLibrary.open(List.of("/nonexistent/libze_loader.so.1"));
        RecordingBundleContext context = new RecordingBundleContext();
        LevelZeroBackend backend = new LevelZeroBackend(() -> {
            throw new ZeUnavailableException(missing.absentReason().orElseThrow(), null);
        });

        List<String> log = ErrCapture.lines(() -> backend.activate(context.context()));

        assertThat(context.registered()).isEmpty();
        assertThat(backend.devices()).isEmpty();
        assertThat(ErrCapture.count(log, LINE)).as("log lines saying why: %s", log).isEqualTo(1);
        assertThat(log).anyMatch(l -> l.contains(LINE) && l.contains("/nonexistent/libze_loader.so.1") && l.contains("libze1"));
        backend.close();
    }
}
