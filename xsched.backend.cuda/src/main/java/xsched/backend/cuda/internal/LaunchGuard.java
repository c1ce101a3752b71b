package xsched.backend.cuda.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaStreamMemOps;
import xsched.backend.cuda.internal.ptx.ControlBlockLayout;

/**
 * The device words a queue's guarded kernels read through their two appended parameters ({@link
 * xsched.backend.cuda.internal.ptx}): the queue's stop flag (zero: run) and a control block.
 *
 * <p>Two control blocks, used in turn. Each guarded launch is enqueued as {@code fresh header →
 * block; kernel; sealed header → the other block}: the fresh header gives the launch its ticket
 * counter from zero, and the seal gives the block of the guarded launch before it a ticket counter
 * no logical block can reach (2<sup>62</sup>), with empty redo and record lists. A block is
 * therefore always either the one a launch that started is using, or sealed: a relaunch with a
 * sealed block runs nothing. That is what makes relaunching safe when the host cannot tell whether
 * a launch started (a gate evaluated just before it was closed): relaunching one that never started
 * does nothing, and the launch itself still runs in full later, its fresh header first. Nothing is
 * allocated per launch; both blocks start sealed.
 *
 * <p>Headers are written by stream memory operations ({@code cuStreamWriteValue64/32}: three words
 * fresh, two sealed, the capacity once at allocation), which the GPU's front end executes between
 * kernels; a host-to-device copy per header costs a copy-engine round trip instead, about 3 us per
 * launch more on an H200. Copies remain where the driver lacks 64-bit writes, or when {@value
 * #HEADERS_PROPERTY} is {@code copy} (to compare the two).
 */
final class LaunchGuard implements AutoCloseable {
    /** The ticket of a sealed block: more logical blocks than any grid has, and far from wrapping. */
    static final long SEALED_TICKET = 1L << 62;
    /** {@code write} (the default) or {@code copy}: how headers reach the control blocks. */
    static final String HEADERS_PROPERTY = "xsched.cuda.guard.headers";
    private static final boolean WRITES = !"copy".equals(System.getProperty(HEADERS_PROPERTY, "write"))
            && CudaStreamMemOps.writes64();

    private final ControlBlockLayout layout;
    private final long flag;
    private final long[] blocks;
    /** Pinned: the fresh header at 0, the sealed header at {@link ControlBlockLayout#LIST}. */
    private final MemorySegment headers;
    private int next;

    private LaunchGuard(ControlBlockLayout layout, long flag, long[] blocks, MemorySegment headers) {
        this.layout = layout;
        this.flag = flag;
        this.blocks = blocks;
        this.headers = headers;
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
        long flag = 0;
        long[] blocks = new long[2];
        MemorySegment headers = null;
        try {
            flag = CudaMemory.memAlloc(ControlBlockLayout.STOP_FLAG_BYTES);
            blocks[0] = CudaMemory.memAlloc(layout.bytes());
            blocks[1] = CudaMemory.memAlloc(layout.bytes());
            headers = CudaMemory.memAllocHost(2L * ControlBlockLayout.LIST);
            MemorySegment fresh = MemorySegment.ofArray(layout.initialHeader());
            MemorySegment.copy(fresh, 0, headers, 0, ControlBlockLayout.LIST);
            MemorySegment.copy(fresh, 0, headers, ControlBlockLayout.LIST, ControlBlockLayout.LIST);
            headers.set(ValueLayout.JAVA_LONG_UNALIGNED, ControlBlockLayout.LIST + ControlBlockLayout.NEXT_TICKET, SEALED_TICKET);
            LaunchGuard guard = new LaunchGuard(layout, flag, blocks, headers);
            CudaMemory.memsetD32Async(flag, 0, 1, stream);
            guard.sealByCopy(blocks[0], stream); // whole headers: the capacity too
            guard.sealByCopy(blocks[1], stream);
            return guard;
        } catch (RuntimeException e) {
            free(flag, blocks, headers);
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

    /**
     * Before a guarded launch on {@code stream}: puts a fresh header on the next block in turn.
     *
     * @return that block's device address, the second appended parameter
     */
    long freshBlock(long stream) {
        long block = blocks[next];
        next ^= 1;
        if (WRITES) {
            CudaStreamMemOps.write64(stream, block + ControlBlockLayout.NEXT_TICKET, 0);
            CudaStreamMemOps.write64(stream, block + ControlBlockLayout.REDO_NEXT, 0); // and REDO_END: nothing to redo
            CudaStreamMemOps.write(stream, block + ControlBlockLayout.RECORD_NEXT, 0); // the capacity after it stays
        } else {
            CudaMemory.memcpyHtoDAsync(block, headers, ControlBlockLayout.LIST, stream);
        }
        return block;
    }

    /** After the guarded launch on {@code stream}: seals the other block, that of the guarded launch before. */
    void launched(long stream) {
        seal(blocks[next], stream);
    }

    private void seal(long block, long stream) {
        if (WRITES) {
            CudaStreamMemOps.write64(stream, block + ControlBlockLayout.NEXT_TICKET, SEALED_TICKET);
            // nothing recorded: a level-3 relaunch copies recordNext onto redoEnd, so it redoes nothing either
            CudaStreamMemOps.write(stream, block + ControlBlockLayout.RECORD_NEXT, 0);
        } else {
            sealByCopy(block, stream);
        }
    }

    private void sealByCopy(long block, long stream) {
        CudaMemory.memcpyHtoDAsync(block, headers.asSlice(ControlBlockLayout.LIST), ControlBlockLayout.LIST, stream);
    }

    /** Frees the device and host memory, once the streams that used them were synchronized. */
    @Override
    public void close() {
        free(flag, blocks, headers);
    }

    private static void free(long flag, long[] blocks, MemorySegment headers) {
        try {
            if (flag != 0) {
                CudaMemory.memFree(flag);
            }
        } finally {
            try {
                for (long b : blocks) {
                    if (b != 0) {
                        CudaMemory.memFree(b);
                    }
                }
            } finally {
                if (headers != null) {
                    CudaMemory.memFreeHost(headers);
                }
            }
        }
    }
}
