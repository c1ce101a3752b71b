package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import xsched.backend.cuda.internal.ffm.CudaLibrary;

/**
 * The conformance kit on the fake CUDA device at level 2: every queue is a gated stream queue
 * (a {@code cuStreamWaitValue32} gate before each batch, closed and opened by the control
 * stream), and the storms deactivate and reactivate them, so what a deactivation holds behind a
 * closed gate must run exactly once, in order, once the gate opens. The fake counts the waits
 * that held a stream up: at least one must have, or the gates were never closed on work.
 */
@Tag("fake-device")
class GatedConformanceOnFakeDeviceTest extends CudaConformanceOnFakeDeviceTest {
    @Override
    protected boolean gates() {
        return true;
    }

    @AfterAll
    static void aGateHeldWorkBack() throws Throwable {
        String library = System.getProperty(CudaLibrary.PATH_PROPERTY);
        if (library == null || !Path.of(library).toFile().isFile()) {
            return; // the tests were skipped: no fake device was built
        }
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup fake = SymbolLookup.libraryLookup(Path.of(library), arena);
            long blocked = (long) Linker.nativeLinker()
                    .downcallHandle(fake.findOrThrow("fake_blocked_waits"), FunctionDescriptor.of(ValueLayout.JAVA_LONG))
                    .invokeExact();
            assertThat(blocked).as("stream waits that held work back behind a closed gate").isPositive();
        }
    }
}
