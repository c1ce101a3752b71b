package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The conformance kit on the fake CUDA device with the marks rewritten by the PTX guardian: every
 * launch must carry the queue's stop flag and a control block whose header was put back on the
 * stream first (the fake runs a guarded mark only when it can take its block's ticket), so a
 * queue that skipped either would lose marks here.
 */
@Tag("fake-device")
class PreemptibleMarksOnFakeDeviceTest extends CudaConformanceOnFakeDeviceTest {
    @Override
    boolean preemptibleMarks() {
        return true;
    }
}
