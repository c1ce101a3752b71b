package xsched.backend.fpga;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;

/** CL_DEVICE_TYPE to xsched kinds, no device needed. */
class DeviceKindTest {
    @Test
    void mapsDeviceTypesToKinds() {
        assertThat(OpenClDevice.kind(1L << 3)).isEqualTo(DeviceKind.FPGA);
        assertThat(OpenClDevice.kind((1L << 3) | 1)).isEqualTo(DeviceKind.FPGA);
        assertThat(OpenClDevice.kind(1L << 2)).isEqualTo(DeviceKind.GPU);
        assertThat(OpenClDevice.kind(1L << 1)).isEqualTo(DeviceKind.CPU);
        assertThat(OpenClDevice.kind(1L << 4)).isEqualTo(DeviceKind.ASIC);
    }
}
