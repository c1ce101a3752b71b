package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What {@code xsched run} asks about an application's streams: which context one belongs to (only
 * streams of a GPU's primary context, the one xsched's queues bind, can be scheduled), whether it is
 * being captured into a graph (its calls then pass straight through), and the stream capture mode
 * of xsched's own threads.
 */
public final class CudaStreamContexts {
    /** {@code CU_STREAM_CAPTURE_MODE_RELAXED}. */
    private static final int CAPTURE_MODE_RELAXED = 2;
    private static final ThreadLocal<MemorySegment> STATUS = ThreadLocal.withInitial(() -> Arena.global().allocate(JAVA_INT));
    private static final ThreadLocal<MemorySegment> CONTEXT = ThreadLocal.withInitial(() -> Arena.global().allocate(ADDRESS));
    private static final ThreadLocal<Boolean> RELAXED = ThreadLocal.withInitial(() -> false);

    private CudaStreamContexts() {
    }

    /**
     * @param stream a {@code CUstream} (0: the legacy NULL stream)
     * @return whether a capture into a graph is going on (or was invalidated) on it
     * @throws xsched.backend.cuda.CudaException when the driver refuses
     */
    public static boolean capturing(long stream) {
        MemorySegment status = STATUS.get();
        try {
            CudaDriver.check((int) CudaNative.cuStreamIsCapturing.invokeExact(stream, status), "cuStreamIsCapturing");
        } catch (Throwable t) {
            throw CudaDriver.rethrow(t);
        }
        return status.get(JAVA_INT, 0) != 0;
    }

    /**
     * Once per thread: makes the calling thread's stream capture mode relaxed, so that a capture in
     * global mode by an application thread ({@code torch.cuda.graph}'s default) is not invalidated
     * by what xsched's own threads do meanwhile (waiting for events, querying them). Never call it on
     * an application's thread: that would change its semantics.
     */
    public static void relaxCaptureMode() {
        if (RELAXED.get()) {
            return;
        }
        RELAXED.set(true);
        MemorySegment mode = STATUS.get();
        mode.set(JAVA_INT, 0, CAPTURE_MODE_RELAXED);
        try {
            CudaDriver.check((int) CudaNative.cuThreadExchangeStreamCaptureMode.invokeExact(mode), "cuThreadExchangeStreamCaptureMode");
        } catch (UnsupportedOperationException e) {
            // a driver before CUDA 10.1: no capture modes
        } catch (Throwable t) {
            throw CudaDriver.rethrow(t);
        }
    }

    /**
     * @return the calling thread's current {@code CUcontext}, 0 when none is current
     * @throws xsched.backend.cuda.CudaException when the driver refuses
     */
    public static long current() {
        MemorySegment out = CONTEXT.get();
        try {
            CudaDriver.check((int) CudaNative.cuCtxGetCurrent.invokeExact(out), "cuCtxGetCurrent");
        } catch (Throwable t) {
            throw CudaDriver.rethrow(t);
        }
        return out.get(ADDRESS, 0).address();
    }

    /**
     * @param stream a {@code CUstream}; 0 (the legacy NULL stream) means the calling thread's current context's
     * @return the {@code CUcontext} the stream belongs to
     * @throws xsched.backend.cuda.CudaException when the driver refuses (e.g. an invalid handle)
     */
    public static long of(long stream) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            CudaDriver.check((int) CudaNative.cuStreamGetCtx.invokeExact(stream, out), "cuStreamGetCtx");
            return out.get(ADDRESS, 0).address();
        } catch (Throwable t) {
            throw CudaDriver.rethrow(t);
        }
    }
}
