package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.dto.RejectedDTO;

/**
 * Plugins the runtime refused, with the reason, for the runtime DTO. One entry per type, name and
 * bundle: a newer reason replaces the older one, so the list stays as long as the plugins are many.
 */
final class Rejections {
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);
    private final List<RejectedDTO> rejected = new ArrayList<>();

    synchronized void add(String type, String name, String bundle, String reason) {
        RejectedDTO dto = new RejectedDTO();
        dto.type = type;
        dto.name = name;
        dto.bundle = bundle;
        dto.reason = reason;
        rejected.removeIf(r -> same(r, type, name, bundle));
        rejected.add(dto);
        LOG.warn("{} '{}' from bundle {} rejected: {}", type, name, bundle, reason);
    }

    synchronized void remove(String type, String name, String bundle) {
        rejected.removeIf(r -> same(r, type, name, bundle));
    }

    private static boolean same(RejectedDTO r, String type, String name, String bundle) {
        return Objects.equals(r.type, type) && Objects.equals(r.name, name) && Objects.equals(r.bundle, bundle);
    }

    synchronized List<RejectedDTO> list() {
        return List.copyOf(rejected);
    }
}
