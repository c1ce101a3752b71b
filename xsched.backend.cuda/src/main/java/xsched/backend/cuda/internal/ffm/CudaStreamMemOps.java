package xsched.backend.cuda.internal.ffm;

import static xsched.backend.cuda.internal.ffm.CudaDriver.check;
import static xsched.backend.cuda.internal.ffm.CudaDriver.rethrow;

import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * The driver's stream memory operations (the v2 API, CUDA 11.7 and later): a stream waits for a
 * 32-bit word in device memory, or writes one, in stream order. The facade for the gates of level 2
 * ({@code internal.GatedStreamQueue}); kept apart from {@link CudaDriver} so neither grows past a
 * readable size. Calls expect the stream's context to be current.
 */
public final class CudaStreamMemOps {
    private static final String WAIT = "cuStreamWaitValue32_v2";
    private static final String WRITE = "cuStreamWriteValue32_v2";

    private CudaStreamMemOps() {
    }

    /**
     * @return empty when the loaded driver exports both entry points, else why not (a driver older
     *         than CUDA 11.7, or no driver)
     */
    public static Optional<String> unsupportedReason() {
        VendorLibrary lib = CudaNative.library();
        if (!lib.present()) {
            return Optional.of(lib.absentReason().orElse("the CUDA driver library is absent"));
        }
        for (String symbol : new String[] {WAIT, WRITE}) {
            if (!CudaNative.has(symbol)) {
                return Optional.of("the CUDA driver does not export " + symbol + " (stream memory operations v2, CUDA 11.7+)");
            }
        }
        return Optional.empty();
    }

    /**
     * Enqueues a wait: later work of {@code stream} starts once the word at {@code address} is
     * {@code >= value} (cyclic comparison, {@link CudaNative#CU_STREAM_WAIT_VALUE_GEQ}).
     *
     * @param stream  a {@code CUstream}
     * @param address a {@code CUdeviceptr} to a 4-byte aligned word
     * @param value   the value to reach
     */
    public static void waitAtLeast(long stream, long address, int value) {
        try {
            check((int) CudaNative.cuStreamWaitValue32.invokeExact(stream, address, value,
                    CudaNative.CU_STREAM_WAIT_VALUE_GEQ), WAIT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Enqueues a write of {@code value} to the word at {@code address}, behind earlier work of
     * {@code stream}.
     *
     * @param stream  a {@code CUstream}
     * @param address a {@code CUdeviceptr} to a 4-byte aligned word
     * @param value   the value
     */
    public static void write(long stream, long address, int value) {
        try {
            check((int) CudaNative.cuStreamWriteValue32.invokeExact(stream, address, value,
                    CudaNative.CU_STREAM_WRITE_VALUE_DEFAULT), WRITE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
