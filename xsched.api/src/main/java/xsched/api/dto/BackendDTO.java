package xsched.api.dto;

import org.osgi.dto.DTO;

/** A bound backend. */
public class BackendDTO extends DTO {
    /** Platform name, e.g. cuda. */
    public String platform;
    /** The bundle providing it. */
    public String bundle;
    /** That bundle's version. */
    public String version;
    /** Number of devices it reports. */
    public int devices;
}
