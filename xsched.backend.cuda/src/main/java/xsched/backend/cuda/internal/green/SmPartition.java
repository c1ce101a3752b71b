package xsched.backend.cuda.internal.green;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One side of an {@link SmPartitioning}: a green context's SMs and the stream made on it. The
 * partitioning owns both handles; they are valid until it is closed.
 *
 * @param smCount  SMs the driver gave the green context ({@code cuGreenCtxGetDevResource})
 * @param reserved whether this is the reserved partition; the other one is its complement
 * @param stream   the {@code CUstream}: non-blocking, priority 0; kernels launched on it run on
 *                 these SMs only, whatever context is current (e.g. a {@code StreamQueue.over} queue
 *                 that binds the primary context)
 * @param context  the green context as a {@code CUcontext} ({@code cuCtxFromGreenCtx}), for calls
 *                 that take a context; work made while it is current also stays on these SMs
 */
public record SmPartition(int smCount, boolean reserved, MemorySegment stream, MemorySegment context) {
    /** Checks the fields. */
    public SmPartition {
        if (smCount < 1) {
            throw new IllegalArgumentException("a partition has at least 1 SM, not " + smCount);
        }
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(context, "context");
    }

    /** @return the stream as the {@code long} the backend's driver facade takes */
    public long streamHandle() {
        return stream.address();
    }

    @Override
    public String toString() {
        return (reserved ? "reserved " : "complement ") + smCount + " SMs, stream 0x" + Long.toHexString(stream.address());
    }
}
