package xsched.api.dto;

import java.util.List;
import org.osgi.dto.DTO;

/** A snapshot of the runtime. */
public class RuntimeDTO extends DTO {
    /** The process id of the runtime. */
    public long pid;
    /** Bound backends. */
    public List<BackendDTO> backends;
    /** Devices of all bound backends. */
    public List<DeviceDTO> devices;
    /** Open queues. */
    public List<QueueDTO> queues;
    /** Name of the active policy, or null while none is bound. */
    public String activePolicy;
    /** Names of every installed policy. */
    public List<String> policies;
    /** Backends and policies the runtime refused, with the reason. */
    public List<RejectedDTO> rejected;
}
