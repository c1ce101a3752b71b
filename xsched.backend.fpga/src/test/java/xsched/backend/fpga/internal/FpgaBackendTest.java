package xsched.backend.fpga.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.backend.fpga.Devices;
import xsched.backend.fpga.OpenClDevice;
import xsched.backend.fpga.OpenClPlatform;
import xsched.backend.fpga.OpenClUnavailableException;
import xsched.backend.fpga.internal.ffm.OpenClLibrary;
import xsched.backend.support.VendorLibrary;
import xsched.spi.hal.Backend;

/** The DS component: absent OpenCL registers nothing; present OpenCL registers the backend and each device. */
class FpgaBackendTest {
    @Test
    void registersNothingWithoutALoader() {
        VendorLibrary missing = OpenClLibrary.open(List.of("/nonexistent/libOpenCL.so.1"));
        assertThat(missing.present()).isFalse();
        assertThat(missing.absentReason()).get().asString().contains("/nonexistent/libOpenCL.so.1")
                .contains("ocl-icd-libopencl1");
        RecordingBundleContext context = new RecordingBundleContext();
        FpgaBackend backend = new FpgaBackend(() -> {
            throw new OpenClUnavailableException(missing.absentReason().orElseThrow(), null);
        });
        backend.activate(context.context());
        assertThat(context.registered()).isEmpty();
        assertThat(backend.registered()).isFalse();
        assertThat(backend.devices()).isEmpty();
        backend.close();
    }

    @Test
    void registersTheBackendAndEveryDevice() {
        OpenClPlatform shared = Devices.platform();
        RecordingBundleContext context = new RecordingBundleContext();
        FpgaBackend backend = new FpgaBackend(OpenClPlatform::open);
        backend.activate(context.context());
        try {
            assertThat(context.registered()).hasSize(1 + shared.devices().size());
            assertThat(context.registered().get(0)).isInstanceOf(Backend.class);
            assertThat(context.registered().subList(1, context.registered().size())).allMatch(OpenClDevice.class::isInstance);
            assertThat(backend.devices()).extracting(d -> d.id()).startsWith("opencl:0");
            assertThat(backend.devices()).allMatch(d -> d.platform().equals("opencl") && d.maxLevel().number() == 1);
            if (backend.devices().stream().allMatch(d -> d.kind() == DeviceKind.CPU)) {
                assertThat(backend.rank()).as("a CPU through OpenCL ranks below the host").isNegative();
            }
            System.out.println("[opencl tests] the DS component registered " + backend.devices());
        } finally {
            backend.close();
        }
        assertThat(context.registered()).isEmpty();
    }
}
