package xsched.api;

import java.util.Objects;

/**
 * One accelerator as a backend reports it.
 *
 * @param id       stable identifier, unique in the runtime, e.g. {@code cuda:0} or {@code host:0}
 * @param platform the backend's platform name, e.g. {@code cuda}, {@code host}
 * @param kind     what sort of accelerator it is
 * @param name     the vendor's product name
 * @param maxLevel the highest preempt level the backend supports on this device
 */
public record XpuDevice(String id, String platform, DeviceKind kind, String name, PreemptLevel maxLevel) {
    /** Validates the components. */
    public XpuDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxLevel, "maxLevel");
    }
}
