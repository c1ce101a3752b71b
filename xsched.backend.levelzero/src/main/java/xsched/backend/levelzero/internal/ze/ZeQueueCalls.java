package xsched.backend.levelzero.internal.ze;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.levelzero.internal.ze.LevelZero.CALLS;
import static xsched.backend.levelzero.internal.ze.LevelZero.call;
import static xsched.backend.levelzero.internal.ze.LevelZero.check;
import static xsched.backend.levelzero.internal.ze.LevelZero.rethrow;
import static xsched.backend.levelzero.internal.ze.LevelZero.status;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The Level Zero API as xsched uses it, part two: command queues, command lists (regular and
 * immediate), appends, events and fences. Nothing here blocks except the host synchronizations,
 * which take a timeout in nanoseconds ({@link #FOREVER} = {@code UINT64_MAX}).
 */
public final class ZeQueueCalls {
    /** {@code UINT64_MAX}: wait until done or the device is lost. */
    public static final long FOREVER = -1L;
    /** {@code ze_command_queue_mode_t}: asynchronous. */
    public static final int MODE_ASYNCHRONOUS = 2;
    /** {@code ze_command_queue_mode_t}: synchronous (every submission completes before it returns). */
    public static final int MODE_SYNCHRONOUS = 1;
    /** {@code ze_event_pool_flag_t}: events the host may query and wait for. */
    public static final int EVENT_POOL_HOST_VISIBLE = 0x1;
    /** {@code ze_event_scope_flag_t}: caches flushed (signal) or invalidated (wait) up to the host. */
    public static final int EVENT_SCOPE_HOST = 0x4;

    private ZeQueueCalls() {
    }

    private static MemorySegment queueDesc(Arena arena, int ordinal, int mode) {
        MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.COMMAND_QUEUE_DESC, ZeStructs.STYPE_COMMAND_QUEUE_DESC);
        ZeStructs.setInt(desc, ZeStructs.COMMAND_QUEUE_DESC, "ordinal", ordinal);
        ZeStructs.setInt(desc, ZeStructs.COMMAND_QUEUE_DESC, "mode", mode);
        return desc;
    }

    /** @return a command queue of queue group {@code ordinal}, index 0, normal priority */
    public static long createQueue(long context, long device, int ordinal, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = queueDesc(arena, ordinal, mode);
            return CALLS.longOut(out -> (int) ZeNative.zeCommandQueueCreate.invokeExact(context, device, desc, out),
                    "zeCommandQueueCreate");
        }
    }

    /** Destroys a command queue; its fences must be gone. */
    public static void destroyQueue(long queue) {
        call(ZeNative.zeCommandQueueDestroy, queue, "zeCommandQueueDestroy");
    }

    /** Submits one closed command list, signalling {@code fence} (0 for none) when it completes. */
    public static void execute(long queue, long list, long fence) {
        try (Arena arena = Arena.ofConfined()) {
            check((int) ZeNative.zeCommandQueueExecuteCommandLists.invokeExact(queue, 1, arena.allocateFrom(JAVA_LONG, list), fence),
                    "zeCommandQueueExecuteCommandLists");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return {@code zeCommandQueueSynchronize}'s result: success, {@code NOT_READY} after the timeout, or an error */
    public static int synchronizeQueue(long queue, long timeoutNanos) {
        return CALLS.status(() -> (int) ZeNative.zeCommandQueueSynchronize.invokeExact(queue, timeoutNanos));
    }

    /** @return a regular (open) command list for queue group {@code ordinal} */
    public static long createList(long context, long device, int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.COMMAND_LIST_DESC, ZeStructs.STYPE_COMMAND_LIST_DESC);
            ZeStructs.setInt(desc, ZeStructs.COMMAND_LIST_DESC, "commandQueueGroupOrdinal", ordinal);
            return CALLS.longOut(out -> (int) ZeNative.zeCommandListCreate.invokeExact(context, device, desc, out),
                    "zeCommandListCreate");
        }
    }

    /**
     * @return an immediate command list (an implicit queue) of queue group {@code ordinal}
     * @throws xsched.backend.levelzero.ZeException with {@link ZeResults#ERROR_UNSUPPORTED_FEATURE} where the driver has none
     */
    public static long createImmediateList(long context, long device, int ordinal, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = queueDesc(arena, ordinal, mode);
            return CALLS.longOut(out -> (int) ZeNative.zeCommandListCreateImmediate.invokeExact(context, device, desc, out),
                    "zeCommandListCreateImmediate");
        }
    }

    /** Destroys a command list; the device must be done with it. */
    public static void destroyList(long list) {
        call(ZeNative.zeCommandListDestroy, list, "zeCommandListDestroy");
    }

    /** Closes a regular list for execution. */
    public static void closeList(long list) {
        call(ZeNative.zeCommandListClose, list, "zeCommandListClose");
    }

    /** Empties an executed list for reuse; the device must be done with it. */
    public static void resetList(long list) {
        call(ZeNative.zeCommandListReset, list, "zeCommandListReset");
    }

    /**
     * Appends an execution and memory barrier: what comes after starts when everything before on
     * the queue completed; {@code signalEvent} (0 for none) is signalled when the barrier is passed.
     */
    public static void appendBarrier(long list, long signalEvent) {
        CALLS.call(() -> (int) ZeNative.zeCommandListAppendBarrier.invokeExact(list, signalEvent, 0, MemorySegment.NULL),
                "zeCommandListAppendBarrier");
    }

    /** Appends a copy of {@code bytes} bytes between USM allocations, without an event. */
    public static void appendCopy(long list, long dst, long src, long bytes) {
        CALLS.call(() -> (int) ZeNative.zeCommandListAppendMemoryCopy.invokeExact(list, dst, src, bytes, 0L, 0, MemorySegment.NULL),
                "zeCommandListAppendMemoryCopy");
    }

    /** Appends a launch of {@code kernel} over a grid of groups, with the arguments and group size set on it now. */
    public static void appendLaunch(long list, long kernel, int groupsX, int groupsY, int groupsZ) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment groups = arena.allocate(ZeStructs.GROUP_COUNT);
            groups.set(JAVA_INT, 0, groupsX);
            groups.set(JAVA_INT, 4, groupsY);
            groups.set(JAVA_INT, 8, groupsZ);
            check((int) ZeNative.zeCommandListAppendLaunchKernel.invokeExact(list, kernel, groups, 0L, 0, MemorySegment.NULL),
                    "zeCommandListAppendLaunchKernel");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a pool of {@code count} host-visible events, usable by every device of the context */
    public static long createEventPool(long context, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.EVENT_POOL_DESC, ZeStructs.STYPE_EVENT_POOL_DESC);
            ZeStructs.setInt(desc, ZeStructs.EVENT_POOL_DESC, "flags", EVENT_POOL_HOST_VISIBLE);
            ZeStructs.setInt(desc, ZeStructs.EVENT_POOL_DESC, "count", count);
            return CALLS.longOut(out -> (int) ZeNative.zeEventPoolCreate.invokeExact(context, desc, 0, MemorySegment.NULL, out),
                    "zeEventPoolCreate");
        }
    }

    /** Destroys an event pool; its events must be gone. */
    public static void destroyEventPool(long pool) {
        call(ZeNative.zeEventPoolDestroy, pool, "zeEventPoolDestroy");
    }

    /** @return event {@code index} of the pool, signalled and waited for at host scope */
    public static long createEvent(long pool, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.EVENT_DESC, ZeStructs.STYPE_EVENT_DESC);
            ZeStructs.setInt(desc, ZeStructs.EVENT_DESC, "index", index);
            ZeStructs.setInt(desc, ZeStructs.EVENT_DESC, "signal", EVENT_SCOPE_HOST);
            ZeStructs.setInt(desc, ZeStructs.EVENT_DESC, "wait", EVENT_SCOPE_HOST);
            return CALLS.longOut(out -> (int) ZeNative.zeEventCreate.invokeExact(pool, desc, out), "zeEventCreate");
        }
    }

    /** Destroys an event. */
    public static void destroyEvent(long event) {
        call(ZeNative.zeEventDestroy, event, "zeEventDestroy");
    }

    /** @return {@code zeEventHostSynchronize}'s result: success, {@code NOT_READY} after the timeout, or an error */
    public static int eventHostSynchronize(long event, long timeoutNanos) {
        return CALLS.status(() -> (int) ZeNative.zeEventHostSynchronize.invokeExact(event, timeoutNanos));
    }

    /** @return {@code zeEventQueryStatus}'s result: success (signalled), {@code NOT_READY}, or an error */
    public static int eventQueryStatus(long event) {
        return status(ZeNative.zeEventQueryStatus, event);
    }

    /** Resets a signalled event for reuse. */
    public static void eventHostReset(long event) {
        call(ZeNative.zeEventHostReset, event, "zeEventHostReset");
    }

    /** @return a fence on the queue, unsignalled */
    public static long createFence(long queue) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.FENCE_DESC, ZeStructs.STYPE_FENCE_DESC);
            return CALLS.longOut(out -> (int) ZeNative.zeFenceCreate.invokeExact(queue, desc, out), "zeFenceCreate");
        }
    }

    /** Destroys a fence. */
    public static void destroyFence(long fence) {
        call(ZeNative.zeFenceDestroy, fence, "zeFenceDestroy");
    }

    /** @return {@code zeFenceQueryStatus}'s result: success (signalled), {@code NOT_READY}, or an error */
    public static int fenceQueryStatus(long fence) {
        return status(ZeNative.zeFenceQueryStatus, fence);
    }

    /** Resets a signalled fence for reuse. */
    public static void resetFence(long fence) {
        call(ZeNative.zeFenceReset, fence, "zeFenceReset");
    }
}
