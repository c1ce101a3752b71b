package xsched.backend.cuda.internal;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.cuda.internal.libc.Environment;

/**
 * {@code CUDA_DEVICE_MAX_CONNECTIONS}: how many hardware work queues (connections) a CUDA context
 * spreads its streams over; the driver reads it when it initializes. Level 2 depends on it: once as
 * many streams as there are connections are blocked on closed gates, nothing else in the context
 * runs, not even the control stream that would open them (measured on the H200: with 32
 * connections 16 blocked streams were fine, 40 deadlocked). So before {@code cuInit} xsched raises
 * the driver's default of 8 to {@value #WANTED_DEFAULT} where the variable is unset (a value the
 * user set is kept), and {@link GateBudget} keeps the gates closed at once well below it.
 *
 * <p>Caveat: if something in this process initialized the driver before xsched did, the value set
 * here comes too late; the value reported is then what the environment says, not necessarily what
 * the driver uses.
 */
public final class DeviceConnections {
    /** The environment variable. */
    public static final String VARIABLE = "CUDA_DEVICE_MAX_CONNECTIONS";
    /** System property: the value xsched sets when the variable is unset; {@code none} sets nothing. */
    public static final String PROPERTY = "xsched.cuda.connections";
    /** What xsched sets by default: the driver's maximum. */
    public static final String WANTED_DEFAULT = "32";
    /** The driver's value when the variable is unset. */
    public static final int DRIVER_DEFAULT = 8;
    /** The driver's largest value. */
    public static final int DRIVER_MAX = 32;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnections.class);
    private static Integer inEffect;

    private DeviceConnections() {
    }

    /**
     * The decision, as a pure function.
     *
     * @param current the variable's value now, null when unset
     * @param wanted  the value to set (the {@value #PROPERTY} property), null or {@code none} for nothing
     * @return the value to set, empty to leave the environment alone
     */
    static Optional<String> toSet(String current, String wanted) {
        if (current != null || wanted == null || wanted.isBlank() || wanted.strip().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(wanted.strip());
    }

    /**
     * @param value the variable's value, null when unset
     * @return the connection count the driver uses for it: its default when unset or not a number,
     *         else the value clamped to 1…{@value #DRIVER_MAX}
     */
    static int effective(String value) {
        if (value == null) {
            return DRIVER_DEFAULT;
        }
        try {
            return Math.clamp(Integer.parseInt(value.strip()), 1, DRIVER_MAX);
        } catch (NumberFormatException e) {
            return DRIVER_DEFAULT;
        }
    }

    /**
     * Before {@code cuInit}: sets the variable where it is unset, once per process, and returns the
     * connection count in effect (read back from the C library's environment).
     *
     * @return the connections per context
     */
    public static synchronized int ensure() {
        if (inEffect == null) {
            String current = null;
            try {
                current = Environment.get(VARIABLE).orElse(null);
                Optional<String> set = toSet(current, System.getProperty(PROPERTY, WANTED_DEFAULT));
                if (set.isPresent()) {
                    Environment.setIfUnset(VARIABLE, set.get());
                    current = Environment.get(VARIABLE).orElse(null);
                    LOG.debug("{} was unset; set to {}", VARIABLE, current);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("cannot read or set {}: {}", VARIABLE, e.toString());
            }
            inEffect = effective(current);
        }
        return inEffect;
    }
}
