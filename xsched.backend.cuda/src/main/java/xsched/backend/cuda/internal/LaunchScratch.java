package xsched.backend.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.cuda.KernelArgs;

/**
 * What a queue reuses for every kernel launch: native memory for {@code kernelParams} (the driver
 * copies the values during {@code cuLaunchKernel}, so one area per queue serves all launches and
 * the launch path allocates nothing; it grows when a launch needs more) and, from its first
 * guarded launch on, the {@link LaunchGuard} whose flag and control blocks guarded kernels take as
 * two more parameters. Used by one thread at a time (the queue's launch token).
 */
public final class LaunchScratch implements AutoCloseable {
    private static final long POINTER = ValueLayout.ADDRESS.byteSize();
    private final Arena arena = Arena.ofShared();
    private MemorySegment values;
    private MemorySegment pointers;
    private LaunchGuard guard;
    private long lastBlock;

    public LaunchScratch() {
        values = arena.allocate(4096, 16);
        pointers = arena.allocate(ValueLayout.ADDRESS, 256);
    }

    /** @return the {@code kernelParams} array for these arguments, valid until the next call */
    public MemorySegment params(KernelArgs args) {
        ensureRoom(args.packedSize(), args.count());
        args.writeTo(values, pointers);
        return pointers;
    }

    /**
     * The {@code kernelParams} of a guarded kernel: its own arguments, then the queue's stop flag
     * and a control block, which gets a fresh header on {@code stream} first (and the other block,
     * that of the guarded launch before, a sealed one).
     *
     * @param args     the kernel's own arguments
     * @param stream   the stream the launch goes to next (the GPU's context current)
     * @param capacity interruptions the control block must be able to record
     * @return the array, valid until the next call
     */
    public MemorySegment guardedParams(KernelArgs args, long stream, int capacity) {
        if (guard == null) {
            guard = LaunchGuard.allocate(capacity, stream);
        } else if (guard.capacity() < capacity) {
            throw new IllegalStateException("a guarded launch needs a control block of " + capacity
                    + " entries, this queue's has " + guard.capacity());
        }
        lastBlock = guard.freshBlock(stream);
        return withGuard(args, lastBlock);
    }

    /**
     * The {@code kernelParams} to launch a guarded kernel again over the control block it used, as
     * it is: only the logical blocks it has not claimed run (none where the block is sealed).
     *
     * @param args  the kernel's own arguments
     * @param block the control block of the launch, {@link #lastGuardedBlock()} after it
     * @return the array, valid until the next call
     */
    public MemorySegment relaunchParams(KernelArgs args, long block) {
        if (guard == null) {
            throw new IllegalStateException("no guarded launch to relaunch: this queue has made none");
        }
        return withGuard(args, block);
    }

    /** @return the control block of the last guarded launch, 0 before the first */
    public long lastGuardedBlock() {
        return lastBlock;
    }

    private MemorySegment withGuard(KernelArgs args, long block) {
        long own = (args.packedSize() + POINTER - 1) / POINTER * POINTER;
        ensureRoom(own + 2 * POINTER, args.count() + 2);
        args.writeTo(values, pointers);
        MemorySegment extra = values.asSlice(own, 2 * POINTER);
        extra.set(ValueLayout.JAVA_LONG, 0, guard.flag());
        extra.set(ValueLayout.JAVA_LONG, POINTER, block);
        pointers.setAtIndex(ValueLayout.ADDRESS, args.count(), extra);
        pointers.setAtIndex(ValueLayout.ADDRESS, args.count() + 1L, extra.asSlice(POINTER));
        return pointers;
    }

    /** @return the stop flag's device address; 0 before the first guarded launch */
    public long stopFlag() {
        return guard == null ? 0 : guard.flag();
    }

    private void ensureRoom(long bytes, int count) {
        if (bytes > values.byteSize()) {
            values = arena.allocate(Math.max(bytes, values.byteSize() * 2), 16);
        }
        if (count > pointers.byteSize() / POINTER) {
            pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(count, 2 * pointers.byteSize() / POINTER));
        }
    }

    /** Frees the parameter memory and, after the queue's stream was synchronized, the guard's device memory. */
    @Override
    public void close() {
        try {
            if (guard != null) {
                guard.close();
            }
        } finally {
            arena.close();
        }
    }
}
