package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The conformance kit on the fake CUDA device with guarded marks in gated queues: a guarded launch
 * held behind a closed gate keeps its control block's fresh header behind the gate with it, so it
 * still runs exactly once when the gate opens.
 */
@Tag("fake-device")
class PreemptibleMarksGatedOnFakeDeviceTest extends CudaConformanceOnFakeDeviceTest {
    @Override
    protected boolean gates() {
        return true;
    }

    @Override
    protected boolean preemptibleMarks() {
        return true;
    }
}
