package xsched.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory ({@code cuMemAllocHost}): the host side of asynchronous copies. Its
 * {@link #segment()} becomes inaccessible when the buffer is closed, so a copy that outlives the
 * buffer fails instead of touching freed memory.
 */
public final class PinnedBuffer extends GpuResource {
    private final MemorySegment raw;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;

    PinnedBuffer(CudaGpu gpu, MemorySegment raw) {
        super(gpu, "was freed");
        this.raw = raw;
        this.segment = raw.reinterpret(arena, null);
    }

    /** @return the memory, valid until {@link #close()} */
    public MemorySegment segment() {
        return segment;
    }

    /** @return the size in bytes */
    public long bytes() {
        return segment.byteSize();
    }

    @Override
    void release() {
        arena.close();
        xsched.backend.cuda.internal.ffm.CudaMemory.memFreeHost(raw);
    }

    @Override
    public String toString() {
        return "PinnedBuffer[" + gpu.id() + ", " + raw.byteSize() + " B]";
    }
}
