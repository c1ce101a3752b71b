package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The conformance kit on the fake CUDA device at level 2: every queue is a gated stream queue
 * (a {@code cuStreamWaitValue32} gate before each batch, closed and opened by the control
 * stream), and the storms deactivate and reactivate them, so what a deactivation holds behind a
 * closed gate must run exactly once, in order, once the gate opens. ({@link GuardianOnFakeDeviceTest}
 * makes a gate hold work every time, without depending on when a storm's stop lands.)
 */
@Tag("fake-device")
class GatedConformanceOnFakeDeviceTest extends CudaConformanceOnFakeDeviceTest {
    @Override
    boolean gates() {
        return true;
    }
}
