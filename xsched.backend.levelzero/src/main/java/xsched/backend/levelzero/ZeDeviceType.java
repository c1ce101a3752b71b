package xsched.backend.levelzero;

import xsched.api.DeviceKind;

/**
 * The Level Zero device types xsched drives, each through its own backend: GPUs as {@code
 * levelzero:N} ({@code xsched.backend.levelzero}), VPUs — Intel NPUs — as {@code npu:N} ({@code
 * xsched.backend.npu}).
 */
public enum ZeDeviceType {
    /** {@code ZE_DEVICE_TYPE_GPU}: devices {@code levelzero:N}, kind GPU. */
    GPU(1, "levelzero", DeviceKind.GPU),
    /** {@code ZE_DEVICE_TYPE_VPU} (Intel NPU): devices {@code npu:N}, kind NPU. */
    VPU(5, "npu", DeviceKind.NPU);

    private final int code;
    private final String platform;
    private final DeviceKind kind;

    ZeDeviceType(int code, String platform, DeviceKind kind) {
        this.code = code;
        this.platform = platform;
        this.kind = kind;
    }

    /** @return the {@code ze_device_type_t} value */
    public int code() {
        return code;
    }

    /** @return the xsched platform name, also the device id prefix */
    public String platform() {
        return platform;
    }

    /** @return the xsched device kind */
    public DeviceKind kind() {
        return kind;
    }

    /** @param code a {@code ze_device_type_t} @return its name as the header writes it, for messages */
    public static String nameOf(int code) {
        return switch (code) {
            case 1 -> "GPU";
            case 2 -> "CPU";
            case 3 -> "FPGA";
            case 4 -> "MCA";
            case 5 -> "VPU";
            default -> "type " + code;
        };
    }
}
