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
}
