package xsched.daemon.internal.server;

import java.util.Locale;
import xsched.api.DeviceKind;

/** Device kinds by name, as clients send them. */
final class DeviceKinds {
    private DeviceKinds() {
    }

    static DeviceKind parse(String name) {
        try {
            return DeviceKind.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device kind '" + name + "'; known: " + java.util.Arrays.toString(DeviceKind.values()));
        }
    }
}
