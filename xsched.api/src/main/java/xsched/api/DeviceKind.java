package xsched.api;

/** The kind of accelerator an {@link XpuDevice} is. */
public enum DeviceKind {
    /** A graphics processor. */
    GPU,
    /** A neural processing unit. */
    NPU,
    /** A field-programmable gate array. */
    FPGA,
    /** Any other application-specific accelerator. */
    ASIC,
    /** The host processor acting as an XPU. */
    CPU
}
