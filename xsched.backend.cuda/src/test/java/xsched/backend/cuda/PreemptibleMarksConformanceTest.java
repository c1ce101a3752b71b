package xsched.backend.cuda;

import org.junit.jupiter.api.Tag;

/** The conformance kit on cuda:0 with the marks rewritten by the PTX guardian; skipped where there is no GPU. */
@Tag("gpu")
class PreemptibleMarksConformanceTest extends CudaConformanceTest {
    @Override
    boolean preemptibleMarks() {
        return true;
    }
}
