package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ptx.ControlBlockLayout;

/**
 * The device words a queue's guarded kernels read through their two appended parameters ({@link
 * xsched.backend.cuda.internal.ptx}): the queue's stop flag (zero: run) and a control block.
 *
 * <p>Two control blocks, used in turn. Each guarded launch is enqueued as {@code fresh header →
 * its block, sealed header → the other block; kernel}: the fresh header gives the launch its ticket
 * counter from zero, and the seal gives the block of the guarded launch before it a ticket counter
 * no logical block can reach (2<sup>62</sup>), with empty redo and record lists. Both are small
 * host-to-device copies, about 3 us of the stream's time each on an H200 (measured 2026-12-02: a
 * stream write of one word costs about as much, and one 2-D copy of both headers more than the two
 * copies). The seal lies behind the launch's gate, like the kernel: when the gate held the launch,
 * the launch before it may still be cut short and relaunched over its block, which therefore
 * stays as it was.
 *
 * <p>A block is therefore always either the one a launch that started is using, or sealed: a
 * relaunch with a sealed block runs nothing. That is what makes relaunching safe when the host
 * cannot tell whether a launch started (a gate evaluated just before it was closed): relaunching
 * one that never started does nothing, and the launch itself still runs in full later, its fresh
 * header first. The block of the launch before a held one was sealed when the guarded launch before
 * that passed its gate (or at allocation). Nothing is allocated per launch; both blocks start
 * sealed.
 */
final class LaunchGuard implements AutoCloseable {
    /** The ticket of a sealed block: more logical blocks than any grid has, and far from wrapping. */
    static final long SEALED_TICKET = 1L << 62;
    private static final long ROW = ControlBlockLayout.LIST;
    private static final long ALIGN = 256;

    private final ControlBlockLayout layout;
    private final long flag;
    /** The first block; the second lies {@link #stride} bytes further. */
    private final long base;
    private final long stride;
    /** Pinned: the fresh header, then the sealed one. */
    private final MemorySegment pinned;
    private final MemorySegment freshRow;
    private final MemorySegment sealedRow;
    private int next;

    private LaunchGuard(ControlBlockLayout layout, long flag, long base, long stride, MemorySegment pinned) {
        this.layout = layout;
        this.flag = flag;
        this.base = base;
        this.stride = stride;
        this.pinned = pinned;
        this.freshRow = pinned.asSlice(0, ROW);
        this.sealedRow = pinned.asSlice(ROW, ROW);
    }

    /**
     * Allocates the flag, the control blocks and their pinned headers (the GPU's context current),
     * and on {@code stream} clears the flag and seals both blocks.
     *
     * @param capacity interruptions a control block's list can record
     * @param stream   the queue's stream
     * @return the guard
     */
    static LaunchGuard allocate(int capacity, long stream) {
        ControlBlockLayout layout = new ControlBlockLayout(capacity);
        long stride = (layout.bytes() + ALIGN - 1) / ALIGN * ALIGN;
        long flag = 0;
        long base = 0;
        MemorySegment pinned = null;
        try {
            flag = CudaMemory.memAlloc(ControlBlockLayout.STOP_FLAG_BYTES);
            base = CudaMemory.memAlloc(2 * stride);
            pinned = CudaMemory.memAllocHost(2 * ROW);
            MemorySegment fresh = MemorySegment.ofArray(layout.initialHeader());
            MemorySegment.copy(fresh, 0, pinned, 0, ROW);
            MemorySegment.copy(fresh, 0, pinned, ROW, ROW);
            pinned.set(ValueLayout.JAVA_LONG_UNALIGNED, ROW + ControlBlockLayout.NEXT_TICKET, SEALED_TICKET);
            LaunchGuard guard = new LaunchGuard(layout, flag, base, stride, pinned);
            CudaMemory.memsetD32Async(flag, 0, 1, stream);
            CudaMemory.memcpyHtoDAsync(guard.block(0), guard.sealedRow, ROW, stream);
            CudaMemory.memcpyHtoDAsync(guard.block(1), guard.sealedRow, ROW, stream);
            return guard;
        } catch (RuntimeException e) {
            free(flag, base, pinned);
            throw e;
        }
    }

    private long block(int i) {
        return base + i * stride;
    }

    /** @return the control block's capacity */
    int capacity() {
        return layout.capacity();
    }

    /** @return the stop flag's device address, the first appended parameter */
    long flag() {
        return flag;
    }

    /**
     * Before a guarded launch on {@code stream}: puts a fresh header on the next block in turn and
     * seals the other one (that of the guarded launch before).
     *
     * @return the fresh block's device address, the second appended parameter
     */
    long freshBlock(long stream) {
        int i = next;
        next ^= 1;
        CudaMemory.memcpyHtoDAsync(block(i), freshRow, ROW, stream);
        CudaMemory.memcpyHtoDAsync(block(i ^ 1), sealedRow, ROW, stream);
        return block(i);
    }

    /** Frees the device and host memory, once the streams that used them were synchronized. */
    @Override
    public void close() {
        free(flag, base, pinned);
    }

    private static void free(long flag, long base, MemorySegment pinned) {
        try {
            if (flag != 0) {
                CudaMemory.memFree(flag);
            }
        } finally {
            try {
                if (base != 0) {
                    CudaMemory.memFree(base);
                }
            } finally {
                if (pinned != null) {
                    CudaMemory.memFreeHost(pinned);
                }
            }
        }
    }
}
