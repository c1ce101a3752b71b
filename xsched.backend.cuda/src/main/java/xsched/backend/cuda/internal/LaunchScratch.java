package xsched.backend.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.cuda.KernelArgs;

/**
 * Native memory a queue reuses for every kernel launch's {@code kernelParams}: the driver copies
 * the values during {@code cuLaunchKernel}, so one area per queue serves all launches and the
 * launch path allocates nothing. Grows when a launch needs more.
 */
public final class LaunchScratch implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private MemorySegment values;
    private MemorySegment pointers;

    public LaunchScratch() {
        values = arena.allocate(4096, 16);
        pointers = arena.allocate(ValueLayout.ADDRESS, 256);
    }

    /** @return the {@code kernelParams} array for these arguments, valid until the next call */
    public MemorySegment params(KernelArgs args) {
        if (args.packedSize() > values.byteSize()) {
            values = arena.allocate(Math.max(args.packedSize(), values.byteSize() * 2), 16);
        }
        if (args.count() > pointers.byteSize() / ValueLayout.ADDRESS.byteSize()) {
            pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(args.count(), 2 * pointers.byteSize() / 8));
        }
        args.writeTo(values, pointers);
        return pointers;
    }

    @Override
    public void close() {
        arena.close();
    }
}
