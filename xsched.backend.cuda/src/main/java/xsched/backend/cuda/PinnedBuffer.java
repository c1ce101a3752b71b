package xsched.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory ({@code cuMemAllocHost}): the host side of asynchronous copies. Its
 * {@link #segment()} becomes inaccessible when the buffer is closed, so a copy that outlives the
 * buffer fails instead of touching freed memory.
 */
public final class PinnedBuffer implements AutoCloseable {
    private final CudaGpu gpu;
    private final MemorySegment raw;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private boolean closed;

    PinnedBuffer(CudaGpu gpu, MemorySegment raw) {
        this.gpu = gpu;
        this.raw = raw;
        this.segment = raw.reinterpret(arena, null);
    }

    /** @return the GPU whose context allocated it */
    public CudaGpu gpu() {
        return gpu;
    }

    /** @return the memory, valid until {@link #close()} */
    public MemorySegment segment() {
        return segment;
    }

    /** @return the size in bytes */
    public long bytes() {
        return segment.byteSize();
    }

    /** @return whether it was freed */
    public boolean closed() {
        return !segment.scope().isAlive();
    }

    /** Frees the memory; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        arena.close();
        gpu.untrack(this);
        gpu.bind();
        xsched.backend.cuda.internal.ffm.CudaMemory.memFreeHost(raw);
    }

    @Override
    public String toString() {
        return "PinnedBuffer[" + gpu.id() + ", " + raw.byteSize() + " B]";
    }
}
