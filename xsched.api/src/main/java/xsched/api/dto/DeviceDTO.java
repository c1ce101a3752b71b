package xsched.api.dto;

import org.osgi.dto.DTO;

/** A device. */
public class DeviceDTO extends DTO {
    /** Device id, e.g. cuda:0. */
    public String id;
    /** Platform name. */
    public String platform;
    /** GPU, NPU, FPGA, ASIC or CPU. */
    public String kind;
    /** Product name. */
    public String name;
    /** Highest preempt level, 1…3. */
    public int maxLevel;
    /** Compute units the device's backend can partition (SMs, host workers); 0 when it cannot. */
    public int computeUnits;
    /** How the device can be partitioned, e.g. "multiples of 8 SMs, at least 8"; null when it cannot. */
    public String partitions;
    /** Why the device has no partitions (its backend lacks the capability, or the device or driver cannot); null when it has. */
    public String partitionsUnsupported;
}
