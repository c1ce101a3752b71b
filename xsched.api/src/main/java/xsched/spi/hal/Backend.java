package xsched.spi.hal;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import xsched.api.XpuDevice;

/**
 * A vendor backend: registered as an OSGi service (one per bundle, listing every device it
 * found), picked up by the core's whiteboard. A backend whose vendor library or device is absent
 * registers nothing and logs why once.
 */
@ConsumerType
public interface Backend {
    /** Service property: the platform name, e.g. {@code cuda}. */
    String PLATFORM = "xsched.platform";

    /** Service property: the highest preempt level (1…3) of any of its devices. */
    String PREEMPT_LEVEL_MAX = "xsched.preempt.level.max";

    /** @return the platform name; device ids start with it */
    String platform();

    /** @return the devices found, in the backend's order of preference */
    List<XpuDevice> devices();

    /**
     * Opens a new vendor queue on a device. Called from the launch worker that will drive it.
     *
     * @param device one of {@link #devices()}
     * @return the queue; its type says which preempt levels it supports
     * @throws IllegalArgumentException when the device is not this backend's
     */
    HwQueue open(XpuDevice device);

    /**
     * @return a rank among platforms for "the best device present"; higher is better. The
     *         host CPU ranks 0, real accelerators above.
     */
    default int rank() {
        return 100;
    }
}
