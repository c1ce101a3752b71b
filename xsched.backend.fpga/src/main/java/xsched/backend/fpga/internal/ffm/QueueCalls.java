package xsched.backend.fpga.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.fpga.internal.ffm.OpenCl.CALLS;
import static xsched.backend.fpga.internal.ffm.OpenCl.check;
import static xsched.backend.fpga.internal.ffm.OpenCl.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Enqueue calls and events. Nothing blocks except {@link #waitFor(long)} and the blocking transfers. */
public final class QueueCalls {
    private QueueCalls() {
    }

    /**
     * Enqueues a kernel over an NDRange, without an event.
     *
     * @param global global work sizes, 1–3 of them
     * @param local  work-group sizes, as many as {@code global}, or null for the implementation's choice
     */
    public static void ndRange(long queue, long kernel, long[] global, long[] local) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, local);
            check((int) OpenClNative.clEnqueueNDRangeKernel.invokeExact(queue, kernel, global.length, MemorySegment.NULL, g, l,
                    0, MemorySegment.NULL, MemorySegment.NULL), "clEnqueueNDRangeKernel");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Enqueues a host-to-device copy from native memory that stays valid until the command completes. */
    public static void write(long queue, long mem, boolean blocking, long offset, long bytes, MemorySegment host) {
        CALLS.call(() -> (int) OpenClNative.clEnqueueWriteBuffer.invokeExact(queue, mem, blocking ? 1 : 0, offset, bytes, host,
                0, MemorySegment.NULL, MemorySegment.NULL), "clEnqueueWriteBuffer");
    }

    /** Enqueues a device-to-host copy into native memory that stays valid until the command completes. */
    public static void read(long queue, long mem, boolean blocking, long offset, long bytes, MemorySegment host) {
        CALLS.call(() -> (int) OpenClNative.clEnqueueReadBuffer.invokeExact(queue, mem, blocking ? 1 : 0, offset, bytes, host,
                0, MemorySegment.NULL, MemorySegment.NULL), "clEnqueueReadBuffer");
    }

    /** Enqueues a device-to-device copy. */
    public static void copy(long queue, long src, long dst, long srcOffset, long dstOffset, long bytes) {
        CALLS.call(() -> (int) OpenClNative.clEnqueueCopyBuffer.invokeExact(queue, src, dst, srcOffset, dstOffset, bytes,
                0, MemorySegment.NULL, MemorySegment.NULL), "clEnqueueCopyBuffer");
    }

    /** @return the event of a marker enqueued behind everything enqueued before ({@code clEnqueueMarkerWithWaitList}) */
    public static long marker(long queue) {
        return CALLS.longOut(event -> (int) OpenClNative.clEnqueueMarkerWithWaitList.invokeExact(queue, 0, MemorySegment.NULL, event),
                "clEnqueueMarkerWithWaitList");
    }

    /** @return the {@code clWaitForEvents} status for one event (an error status when a command before it failed) */
    public static int waitFor(long event) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OpenClNative.clWaitForEvents.invokeExact(1, arena.allocateFrom(JAVA_LONG, event));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return {@code CL_EVENT_COMMAND_EXECUTION_STATUS}: {@code CL_COMPLETE} (0), a positive state, or a negative error */
    public static int status(long event) {
        return CALLS.intOut(status -> (int) OpenClNative.clGetEventInfo.invokeExact(event, OpenCl.CL_EVENT_COMMAND_EXECUTION_STATUS, 4L,
                status, MemorySegment.NULL), "clGetEventInfo");
    }
}
