package xsched.backend.levelzero;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.Map;

/**
 * The real Level Zero devices of this test run (Intel's drivers, not the fake one), opened once per
 * type: hardware tests call {@link #platform(ZeDeviceType)}, which skips them (a JUnit assumption)
 * where there is no such device, and says what it found once. Never used in the fake-driver run.
 */
public final class IntelDevices {
    private static final Map<ZeDeviceType, ZePlatform> OPEN = new EnumMap<>(ZeDeviceType.class);
    private static final Map<ZeDeviceType, String> ABSENT = new EnumMap<>(ZeDeviceType.class);

    private IntelDevices() {
    }

    /** @return the platform of {@code type} on the installed drivers, or skips the calling test */
    public static synchronized ZePlatform platform(ZeDeviceType type) {
        assumeTrue(System.getenv(FakeDriver.ENV) == null, "the fake-driver run has no real devices");
        if (!OPEN.containsKey(type) && !ABSENT.containsKey(type)) {
            try {
                ZePlatform platform = ZePlatform.open(type);
                OPEN.put(type, platform);
                System.out.println("[levelzero tests] running on " + platform.describe());
                platform.devices().forEach(d -> System.out.println("[levelzero tests]   " + d));
            } catch (ZeUnavailableException e) {
                ABSENT.put(type, e.getMessage());
                System.out.println("[levelzero tests] skipping the " + type + " hardware tests: " + e.getMessage());
            }
        }
        assumeTrue(OPEN.containsKey(type), () -> "no Level Zero " + type + ": " + ABSENT.get(type));
        return OPEN.get(type);
    }
}
