package xsched.api.dto;

import org.osgi.dto.DTO;

/** A backend or policy the runtime did not accept. */
public class RejectedDTO extends DTO {
    /** "backend" or "policy". */
    public String type;
    /** Its name as far as known. */
    public String name;
    /** The bundle that registered it. */
    public String bundle;
    /** Why it was refused. */
    public String reason;
}
