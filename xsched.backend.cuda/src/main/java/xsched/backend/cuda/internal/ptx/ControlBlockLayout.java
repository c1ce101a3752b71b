package xsched.backend.cuda.internal.ptx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The per-launch control block that guarded kernels find through their last parameter: where its
 * words lie, how big it is for a given redo-list capacity, and the bytes it starts with.
 *
 * <pre>
 * offset  type              written by  meaning
 *   0     u64 nextTicket    device      next fresh logical block index (atom.add)
 *   8     u32 redoNext      device      next redo-list position to take (atom.cas, never passes redoEnd)
 *  12     u32 redoEnd       host        end of the redo region of the list for this launch
 *  16     u32 recordNext    device      next list position an interrupted block records into (atom.add;
 *                                       may pass capacity, positions at or past it are not written)
 *  20     u32 capacity      host        number of list entries
 *  24     u64 list[capacity]            logical block indices: [redoNext, redoEnd) wait to be redone,
 *                                       [redoEnd, min(recordNext, capacity)) were interrupted this launch
 * </pre>
 *
 * <p>One list serves as both redo-in and interrupted-out: a launch takes redo entries below
 * {@code redoEnd} and records interruptions at and above it, so the two never touch the same entry,
 * and before a relaunch the host only copies the 4-byte word {@code recordNext} onto {@code redoEnd}
 * (stream-ordered, no read-back). Entries redone are never reused; once {@code recordNext} reaches
 * the capacity, blocks of that launch can no longer be interrupted and simply run to the end, which
 * is still correct. Lv2 entries read only {@code nextTicket}; the same block serves them.
 *
 * <p>All words are little-endian and the block must be 8-byte aligned ({@code cuMemAlloc} gives
 * 256). The stop flag is a separate 32-bit word, one per queue: 0 run, {@link
 * #STOP_BETWEEN_BLOCKS} (or more) no new block starts, {@link #STOP_INSIDE_BLOCKS} interruptible
 * blocks also leave at their interrupt points.
 *
 * @param capacity list entries; the most interruptions one logical launch can record over all
 *        its relaunches together. Size it to at least the number of blocks resident on the GPU
 *        times the preemptions expected (e.g. 4 × 132 SMs × 32 blocks = 16896 on an H100/H200)
 */
public record ControlBlockLayout(int capacity) {
    /** Offset of the u64 fresh-ticket counter. */
    public static final int NEXT_TICKET = 0;
    /** Offset of the u32 redo cursor. */
    public static final int REDO_NEXT = 8;
    /** Offset of the u32 end of the redo region. */
    public static final int REDO_END = 12;
    /** Offset of the u32 record cursor. */
    public static final int RECORD_NEXT = 16;
    /** Offset of the u32 list capacity. */
    public static final int CAPACITY = 20;
    /** Offset of the first u64 list entry. */
    public static final int LIST = 24;
    /** Bytes of the stop flag the first extra parameter points to. */
    public static final int STOP_FLAG_BYTES = 4;
    /** Stop flag value of a level-2 stop: blocks not started leave, running blocks run to their end. */
    public static final int STOP_BETWEEN_BLOCKS = 1;
    /** Stop flag value of a level-3 stop: also interruptible blocks leave at their next interrupt point. */
    public static final int STOP_INSIDE_BLOCKS = 2;

    /** Layout for a list of {@code capacity} entries. */
    public ControlBlockLayout {
        if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }

    /** Bytes to allocate for the control block. */
    public long bytes() {
        return LIST + 8L * capacity;
    }

    /** Offset of list entry {@code i}. */
    public long entry(int i) {
        if (i < 0 || i >= capacity) throw new IndexOutOfBoundsException("entry " + i + " of " + capacity);
        return LIST + 8L * i;
    }

    /**
     * The {@value #LIST}-byte header to copy to the block before the first launch of a logical
     * launch: every counter zero, the capacity set. The list itself needs no initialisation.
     */
    public byte[] initialHeader() {
        ByteBuffer b = ByteBuffer.allocate(LIST).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(CAPACITY, capacity);
        return b.array();
    }
}
