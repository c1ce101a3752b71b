package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.dto.RejectedDTO;

/** Plugins the runtime refused, with the reason, for the runtime DTO. */
final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    private final List<RejectedDTO> rejected = new ArrayList<>();

    synchronized void add(String type, String name, String bundle, String reason) {
        RejectedDTO dto = new RejectedDTO();
        dto.type = type;
        dto.name = name;
        dto.bundle = bundle;
        dto.reason = reason;
        rejected.add(dto);
        LOG.warn("{} '{}' from bundle {} rejected: {}", type, name, bundle, reason);
    }

    synchronized void remove(String type, String name, String bundle) {
        rejected.removeIf(r -> r.type.equals(type) && r.name.equals(name) && r.bundle.equals(bundle));
    }

    synchronized List<RejectedDTO> list() {
        return List.copyOf(rejected);
    }
}
