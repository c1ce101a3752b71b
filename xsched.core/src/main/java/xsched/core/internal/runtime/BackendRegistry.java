package xsched.core.internal.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;

/** Bound backends and their devices, best platform first. */
final class BackendRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);

    record Bound(Backend backend, List<XpuDevice> devices, String bundle, String version, int rank) {
    }

    private final Rejections rejections;
    private final List<Bound> bound = new CopyOnWriteArrayList<>();

    BackendRegistry(Rejections rejections) {
        this.rejections = rejections;
    }

    /** @return the devices now provided, or an empty list if the backend was rejected */
    List<XpuDevice> add(Backend backend, String bundle, String version) {
        String platform;
        List<XpuDevice> devices;
        int rank;
        try {
            platform = backend.platform();
            devices = List.copyOf(backend.devices());
            rank = backend.rank();
        } catch (RuntimeException e) {
            rejections.add("backend", backend.getClass().getName(), bundle, "failed to describe itself: " + e);
            return List.of();
        }
        for (XpuDevice d : devices) {
            if (!d.platform().equals(platform)) {
                rejections.add("backend", platform, bundle, "device " + d.id() + " claims platform " + d.platform());
                return List.of();
            }
            if (device(d.id()).isPresent()) {
                rejections.add("backend", platform, bundle, "device id " + d.id() + " is already provided by another backend");
                return List.of();
            }
        }
        bound.add(new Bound(backend, devices, bundle, version, rank));
        LOG.info("backend '{}' bound with {} device(s): {}", platform, devices.size(),
                devices.stream().map(d -> d.id() + " (" + d.name() + ", Lv" + d.maxLevel().number() + ")").toList());
        return devices;
    }

    /** @return what was bound for this backend, if anything */
    Optional<Bound> remove(Backend backend) {
        Optional<Bound> gone = bound.stream().filter(b -> b.backend() == backend).findFirst();
        gone.ifPresent(bound::remove);
        return gone;
    }

    List<Bound> bound() {
        List<Bound> sorted = new ArrayList<>(bound);
        sorted.sort(Comparator.comparingInt(Bound::rank).reversed());
        return sorted;
    }

    List<XpuDevice> devices() {
        return bound().stream().flatMap(b -> b.devices().stream()).toList();
    }

    Optional<XpuDevice> device(String id) {
        return bound.stream().flatMap(b -> b.devices().stream()).filter(d -> d.id().equals(id)).findFirst();
    }

    Optional<Backend> backendOf(String deviceId) {
        return bound.stream().filter(b -> b.devices().stream().anyMatch(d -> d.id().equals(deviceId)))
                .map(Bound::backend).findFirst();
    }
}
