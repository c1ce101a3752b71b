package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/**
 * The conformance kit on the fake CUDA device with guarded marks in gated queues: each stop also
 * sets the queue's stop flag, so a guarded mark whose turn comes while it is set runs nothing and
 * must be relaunched before the work behind the gate; a guarded launch held behind the gate keeps
 * its fresh control block header behind the gate with it. Every mark must still run exactly once,
 * in order. ({@link GuardianOnFakeDeviceTest} makes the flag cut a kernel short every time.)
 */
@Tag("fake-device")
class PreemptibleMarksGatedOnFakeDeviceTest extends CudaConformanceOnFakeDeviceTest {
    @Override
    boolean gates() {
        return true;
    }

    @Override
    boolean preemptibleMarks() {
        return true;
    }
}
