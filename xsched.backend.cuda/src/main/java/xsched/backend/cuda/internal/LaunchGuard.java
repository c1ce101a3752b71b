package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ptx.ControlBlockLayout;

/**
 * The device words a queue's guarded kernels read through their two appended parameters ({@link
 * xsched.backend.cuda.internal.ptx}): the queue's stop flag (zero: run) and one control block.
 * Every guarded launch of the queue starts from a fresh control block: its header is copied from
 * pinned host memory onto the block on the stream right before the launch, so launches of one
 * stream reuse the block in stream order, and nothing is allocated per launch. Made on a queue's
 * first guarded launch; the flag is cleared on the stream then.
 */
final class LaunchGuard implements AutoCloseable {
    private final ControlBlockLayout layout;
    private final long flag;
    private final long block;
    private final MemorySegment header;

    private LaunchGuard(ControlBlockLayout layout, long flag, long block, MemorySegment header) {
        this.layout = layout;
        this.flag = flag;
        this.block = block;
        this.header = header;
    }

    /**
     * Allocates the flag, the control block and its pinned header (the GPU's context current) and
     * clears the flag on {@code stream}.
     *
     * @param capacity interruptions the control block's list can record
     * @param stream   the queue's stream
     * @return the guard
     */
    static LaunchGuard allocate(int capacity, long stream) {
        ControlBlockLayout layout = new ControlBlockLayout(capacity);
        long flag = 0;
        long block = 0;
        MemorySegment header = null;
        try {
            flag = CudaMemory.memAlloc(ControlBlockLayout.STOP_FLAG_BYTES);
            block = CudaMemory.memAlloc(layout.bytes());
            header = CudaMemory.memAllocHost(ControlBlockLayout.LIST);
            MemorySegment.copy(MemorySegment.ofArray(layout.initialHeader()), 0, header, 0, ControlBlockLayout.LIST);
            CudaMemory.memsetD32Async(flag, 0, 1, stream);
            return new LaunchGuard(layout, flag, block, header);
        } catch (RuntimeException e) {
            free(flag, block, header);
            throw e;
        }
    }

    /** @return the control block's capacity */
    int capacity() {
        return layout.capacity();
    }

    /** @return the stop flag's device address, the first appended parameter */
    long flag() {
        return flag;
    }

    /** @return the control block's device address, the second appended parameter */
    long controlBlock() {
        return block;
    }

    /** Puts a fresh header on the control block, on {@code stream}, ahead of a guarded launch. */
    void resetOn(long stream) {
        CudaMemory.memcpyHtoDAsync(block, header, ControlBlockLayout.LIST, stream);
    }

    /** Frees the device and host memory, once the stream that used them was synchronized. */
    @Override
    public void close() {
        free(flag, block, header);
    }

    private static void free(long flag, long block, MemorySegment header) {
        try {
            if (flag != 0) {
                CudaMemory.memFree(flag);
            }
        } finally {
            try {
                if (block != 0) {
                    CudaMemory.memFree(block);
                }
            } finally {
                if (header != null) {
                    CudaMemory.memFreeHost(header);
                }
            }
        }
    }
}
