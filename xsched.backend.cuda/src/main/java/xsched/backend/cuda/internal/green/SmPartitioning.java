package xsched.backend.cuda.internal.green;

import static xsched.backend.cuda.internal.ffm.CudaNative.CU_STREAM_NON_BLOCKING;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import xsched.backend.cuda.internal.ffm.CudaDevResource;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaGreenContexts;

/**
 * A device's SMs split in two green contexts: a reserved partition of the requested size (rounded
 * up to the driver's granularity) and its complement, every other SM, each with one stream. Both
 * green contexts retain the device's primary context until {@link #close()}, so the modules,
 * buffers and events of the primary context stay usable with the streams.
 *
 * <p>The complement is the split's remainder, for which the driver promises less than for a group
 * (CUDA docs: it "does not have the same functional or performance guarantees"); on the H200 it
 * is 132 − N SMs, not a multiple of 8.
 *
 * <p>Close the queues over the streams first: closing waits for both streams, then destroys them
 * and then the green contexts (the driver requires that order). Thread-safe; close is idempotent.
 */
public final class SmPartitioning implements AutoCloseable {
    private static final int PRIORITY = 0;

    private final int device;
    private final int requested;
    private final SmGranularity granularity;
    private final Side reserved;
    private final Side complement;
    private boolean closed;

    /** A partition and the handles behind it. */
    private record Side(SmPartition partition, long green, long stream) {
    }

    private SmPartitioning(int device, int requested, SmGranularity granularity, Side reserved, Side complement) {
        this.device = device;
        this.requested = requested;
        this.granularity = granularity;
        this.reserved = reserved;
        this.complement = complement;
    }

    /**
     * Splits the device: one group of at least {@code granularity.reservable(requested)} SMs and
     * the remainder, each made a green context with a stream. On failure, whatever was made is
     * destroyed again.
     *
     * @throws IllegalArgumentException when the request cannot be met (see {@link SmGranularity#reservable(int)})
     * @throws xsched.backend.cuda.CudaException when the driver refuses a step
     */
    static SmPartitioning create(int device, SmGranularity granularity, int requested) {
        int target = granularity.reservable(requested);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = CudaDevResource.allocate(arena, 1);
            CudaGreenContexts.deviceSmResource(device, all);
            MemorySegment group = CudaDevResource.allocate(arena, 1);
            MemorySegment rest = CudaDevResource.allocate(arena, 1);
            int made = CudaGreenContexts.splitByCount(group, 1, all, rest, target);
            if (made != 1 || CudaDevResource.smCount(rest) < 1) {
                throw new IllegalArgumentException("cannot reserve " + requested + " of " + CudaDevResource.smCount(all)
                        + " SMs: the driver split off " + made + " group(s) of " + CudaDevResource.smCount(group)
                        + " SMs and left " + CudaDevResource.smCount(rest));
            }
            Side mine = side(device, group, true, arena);
            Side others;
            try {
                others = side(device, rest, false, arena);
            } catch (RuntimeException | Error e) {
                release(mine, e);
                throw e;
            }
            return new SmPartitioning(device, requested, granularity, mine, others);
        }
    }

    private static Side side(int device, MemorySegment resource, boolean reserved, Arena arena) {
        long descriptor = CudaGreenContexts.generateDescriptor(resource, 1);
        long green = CudaGreenContexts.create(descriptor, device);
        long stream = 0;
        try {
            stream = CudaGreenContexts.streamCreate(green, CU_STREAM_NON_BLOCKING, PRIORITY);
            MemorySegment given = CudaDevResource.allocate(arena, 1);
            CudaGreenContexts.smResource(green, given);
            long context = CudaGreenContexts.context(green);
            SmPartition partition = new SmPartition(CudaDevResource.smCount(given), reserved,
                    MemorySegment.ofAddress(stream), MemorySegment.ofAddress(context));
            return new Side(partition, green, stream);
        } catch (RuntimeException | Error e) {
            release(new Side(null, green, stream), e);
            throw e;
        }
    }

    /** Destroys a side's stream (if made) and green context, adding failures to {@code cause}. */
    private static void release(Side side, Throwable cause) {
        if (side.stream() != 0) {
            try {
                CudaDriver.streamDestroy(side.stream());
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
        try {
            CudaGreenContexts.destroy(side.green());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** @return the {@code CUdevice} */
    public int device() {
        return device;
    }

    /** @return the SMs asked for, before rounding */
    public int requested() {
        return requested;
    }

    /** @return the granularity the request was rounded to */
    public SmGranularity granularity() {
        return granularity;
    }

    /** @return the reserved partition */
    public SmPartition reserved() {
        return reserved.partition();
    }

    /** @return every other SM of the device */
    public SmPartition complement() {
        return complement.partition();
    }

    /** @return the reserved partition, then the complement */
    public List<SmPartition> partitions() {
        return List.of(reserved(), complement());
    }

    /**
     * Creates another stream on one side, for a queue of its own; the caller destroys it, before
     * {@link #close()}.
     *
     * @param reservedSide true for the reserved partition, false for the complement
     * @return a non-blocking {@code CUstream} of that side's green context
     * @throws IllegalStateException when the partitioning was closed
     * @throws xsched.backend.cuda.CudaException when the driver refuses
     */
    public long newStream(boolean reservedSide) {
        return newStream(reservedSide, PRIORITY);
    }

    /**
     * As {@link #newStream(boolean)}, at a stream priority.
     *
     * @param reservedSide true for the reserved partition, false for the complement
     * @param priority     lower is more urgent, within the context's range (the driver clamps)
     * @return a non-blocking {@code CUstream} of that side's green context
     */
    public synchronized long newStream(boolean reservedSide, int priority) {
        if (closed) {
            throw new IllegalStateException(this + " was closed");
        }
        return CudaGreenContexts.streamCreate((reservedSide ? reserved : complement).green(), CU_STREAM_NON_BLOCKING, priority);
    }

    /** @return whether {@link #close()} was called */
    public synchronized boolean closed() {
        return closed;
    }

    /**
     * Waits for both streams, destroys them, then the green contexts, which releases their retains
     * of the primary context. Every step is tried; the first failure is thrown with the others
     * suppressed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Side side : List.of(reserved, complement)) {
            failure = attempt(failure, () -> CudaDriver.streamSynchronize(side.stream()));
        }
        for (Side side : List.of(reserved, complement)) {
            failure = attempt(failure, () -> CudaDriver.streamDestroy(side.stream()));
        }
        for (Side side : List.of(reserved, complement)) {
            failure = attempt(failure, () -> CudaGreenContexts.destroy(side.green()));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }

    @Override
    public String toString() {
        return "SmPartitioning[device " + device + ", " + requested + " SMs asked: " + reserved() + "; " + complement() + "]";
    }
}
