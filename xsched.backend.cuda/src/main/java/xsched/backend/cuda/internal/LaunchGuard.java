package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ptx.ControlBlockLayout;

/**
 * The device words a queue's guarded kernels read through their two appended parameters ({@link
 * xsched.backend.cuda.internal.ptx}): the queue's stop flag (zero: run) and a control block.
 *
 * <p>Two control blocks, used in turn, in one allocation. Each guarded launch is enqueued as
 * {@code fresh header → its block, sealed header → the other block; kernel}: the fresh header gives
 * the launch its ticket counter from zero, and the seal gives the block of the guarded launch before
 * it a ticket counter no logical block can reach (2<sup>62</sup>), with empty redo and record lists.
 * Both headers go in one 2-D copy (one row per block, the blocks' distance as the pitch): a copy
 * costs the stream a copy-engine round trip of about 3 us on an H200, and a stream write of a
 * word costs about as much, so one copy per launch is the least. The seal lies behind the launch's
 * gate, like the kernel: when the gate held the launch, the launch before it may still be cut short
 * and relaunched over its block, which therefore stays as it was.
 *
 * <p>A block is therefore always either the one a launch that started is using, or sealed: a
 * relaunch with a sealed block runs nothing. That is what makes relaunching safe when the host
 * cannot tell whether a launch started (a gate evaluated just before it was closed): relaunching
 * one that never started does nothing, and the launch itself still runs in full later, its fresh
 * header first. The block of the launch before a held one was sealed when the guarded launch before
 * that passed its gate (or at allocation). Nothing is allocated per launch; both blocks start
 * sealed. {@value #HEADERS_PROPERTY}{@code =two-copies} writes the two headers by two copies
 * instead, to measure the difference.
 */
final class LaunchGuard implements AutoCloseable {
    /** The ticket of a sealed block: more logical blocks than any grid has, and far from wrapping. */
    static final long SEALED_TICKET = 1L << 62;
    /** {@code one-copy} (the default) or {@code two-copies}: how a launch's two headers reach the control blocks. */
    static final String HEADERS_PROPERTY = "xsched.cuda.guard.headers";
    private static final boolean TWO_COPIES = "two-copies".equals(System.getProperty(HEADERS_PROPERTY, "one-copy"));
    private static final long ROW = ControlBlockLayout.LIST;
    /** Pinned rows: fresh, sealed, fresh, so that both orders are two consecutive rows. */
    private static final long ROWS = 3 * ROW;
    private static final long ALIGN = 256;

    private final ControlBlockLayout layout;
    private final long flag;
    /** The first block; the second lies {@link #stride} bytes further. */
    private final long base;
    private final long stride;
    /** Pinned: the three header rows, then one 2-D copy description per block in turn. */
    private final MemorySegment pinned;
    private int next;

    private LaunchGuard(ControlBlockLayout layout, long flag, long base, long stride, MemorySegment pinned) {
        this.layout = layout;
        this.flag = flag;
        this.base = base;
        this.stride = stride;
        this.pinned = pinned;
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
            pinned = CudaMemory.memAllocHost(ROWS + 2 * CudaMemory.COPY_2D_BYTES);
            MemorySegment fresh = MemorySegment.ofArray(layout.initialHeader());
            for (int row = 0; row < 3; row++) {
                MemorySegment.copy(fresh, 0, pinned, row * ROW, ROW);
            }
            pinned.set(ValueLayout.JAVA_LONG_UNALIGNED, ROW + ControlBlockLayout.NEXT_TICKET, SEALED_TICKET);
            for (int i = 0; i < 2; i++) {
                // block i fresh and the other sealed: rows [fresh, sealed] for block 0, [sealed, fresh] for block 1
                CudaMemory.describeCopy2D(copy(pinned, i), pinned.asSlice(i * ROW, 2 * ROW), ROW, base, stride, ROW, 2);
            }
            LaunchGuard guard = new LaunchGuard(layout, flag, base, stride, pinned);
            CudaMemory.memsetD32Async(flag, 0, 1, stream);
            CudaMemory.memcpyHtoDAsync(guard.block(0), guard.sealedRow(), ROW, stream);
            CudaMemory.memcpyHtoDAsync(guard.block(1), guard.sealedRow(), ROW, stream);
            return guard;
        } catch (RuntimeException e) {
            free(flag, base, pinned);
            throw e;
        }
    }

    private static MemorySegment copy(MemorySegment pinned, int block) {
        return pinned.asSlice(ROWS + block * CudaMemory.COPY_2D_BYTES, CudaMemory.COPY_2D_BYTES);
    }

    private long block(int i) {
        return base + i * stride;
    }

    private MemorySegment sealedRow() {
        return pinned.asSlice(ROW, ROW);
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
        if (TWO_COPIES) {
            CudaMemory.memcpyHtoDAsync(block(i), pinned.asSlice(i == 0 ? 0 : 2 * ROW, ROW), ROW, stream);
            CudaMemory.memcpyHtoDAsync(block(i ^ 1), sealedRow(), ROW, stream);
        } else {
            CudaMemory.memcpy2DAsync(copy(pinned, i), stream);
        }
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
