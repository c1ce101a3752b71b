package xsched.backend.testkit;

import java.util.List;
import java.util.Optional;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;

/** What a backend's test gives the conformance kit. */
public interface ConformanceTarget {
    /**
     * Makes a backend over the devices under test. Called once per test, and once more by the
     * swap test, which removes the first backend under load and adds the second for the same
     * device: commands built with {@link #marks} must run on the queues of either. The kit closes
     * a backend that is {@link AutoCloseable} once it is done with it.
     *
     * @return a new backend with at least one device
     */
    Backend newBackend();

    /**
     * @param device   a device of the backends
     * @param capacity how many counters
     * @return marks on that device, zeroed
     */
    Marks marks(XpuDevice device, int capacity);

    /**
     * Activates the backend's component where its vendor library or device is absent, and reports
     * the services it registered then (the kit expects none).
     *
     * @return the services registered in absence; empty when absence cannot be simulated (the
     *         absence test is then skipped)
     */
    default Optional<List<?>> servicesRegisteredWhenAbsent() {
        return Optional.empty();
    }

    /**
     * @param devices the backend's devices
     * @return the device to test; the first by default
     */
    default XpuDevice deviceUnderTest(List<XpuDevice> devices) {
        return devices.get(0);
    }
}
