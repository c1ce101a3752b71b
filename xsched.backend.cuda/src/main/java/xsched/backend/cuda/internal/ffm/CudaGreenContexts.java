package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.cuda.internal.ffm.CudaDriver.check;
import static xsched.backend.cuda.internal.ffm.CudaDriver.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * The driver's green contexts (CUDA 12.4+; {@code cuGreenCtxStreamCreate} 12.5+): SM resources
 * of a device are split into disjoint groups, each group becomes a descriptor and then a green
 * context, and streams created on a green context run their kernels on its SMs only. The facade of
 * {@code internal.green}; kept apart from {@link CudaDriver} like {@link CudaStreamMemOps}. Every
 * call checks its result; none needs a current context. Resources are {@link CudaDevResource}
 * structs in native memory; green contexts and descriptors are {@code long} handles.
 */
public final class CudaGreenContexts {
    /** CUresult: the device or platform cannot do this (e.g. green contexts on this GPU). */
    public static final int CUDA_ERROR_NOT_SUPPORTED = 801;
    /** CUresult: the driver knows no resource of the requested type for this device. */
    public static final int CUDA_ERROR_INVALID_RESOURCE_TYPE = 914;
    /** CUresult: the resources cannot be split or combined as asked. */
    public static final int CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION = 915;
    /** cuGreenCtxCreate flag: required, gives the green context a default stream. */
    public static final int CU_GREEN_CTX_DEFAULT_STREAM = 0x1;

    /** Every entry point this facade calls, in the order a partition needs them. */
    public static final List<String> SYMBOLS = List.of("cuDeviceGetDevResource", "cuDevSmResourceSplitByCount",
            "cuDevResourceGenerateDesc", "cuGreenCtxCreate", "cuGreenCtxGetDevResource", "cuGreenCtxStreamCreate",
            "cuCtxFromGreenCtx", "cuGreenCtxDestroy");

    private CudaGreenContexts() {
    }

    /** @return empty when the loaded driver exports every entry point, else why not */
    public static Optional<String> unsupportedReason() {
        return unsupportedReason(CudaNative.library());
    }

    /**
     * @param lib a driver library, opened or absent
     * @return empty when it exports every entry point of {@link #SYMBOLS}, else why not (no driver,
     *         or one older than CUDA 12.5)
     */
    public static Optional<String> unsupportedReason(VendorLibrary lib) {
        if (!lib.present()) {
            return Optional.of(lib.absentReason().orElse("the CUDA driver library is absent"));
        }
        for (String symbol : SYMBOLS) {
            if (lib.find(symbol).isEmpty()) {
                return Optional.of("the CUDA driver " + lib.source().orElse("") + " does not export " + symbol
                        + " (green contexts need a driver of CUDA 12.5 or later)");
            }
        }
        return Optional.empty();
    }

    /**
     * cuDeviceGetDevResource for the SM type.
     *
     * @param device a {@code CUdevice}
     * @param out    one zeroed {@link CudaDevResource} struct to fill
     */
    public static void deviceSmResource(int device, MemorySegment out) {
        try {
            check((int) CudaNative.cuDeviceGetDevResource.invokeExact(device, out, CudaDevResource.TYPE_SM),
                    "cuDeviceGetDevResource");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * cuDevSmResourceSplitByCount with default flags.
     *
     * @param groups    {@code capacity} structs to fill
     * @param capacity  how many groups at most
     * @param input     an SM resource from the device or a green context
     * @param remaining a struct for what the groups leave, or {@link MemorySegment#NULL}
     * @param minCount  the least SMs per group; the driver rounds it up to its granularity
     * @return how many groups the driver made
     */
    public static int splitByCount(MemorySegment groups, int capacity, MemorySegment input, MemorySegment remaining, int minCount) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocateFrom(JAVA_INT, capacity);
            check((int) CudaNative.cuDevSmResourceSplitByCount.invokeExact(groups, count, input, remaining, 0, minCount),
                    "cuDevSmResourceSplitByCount");
            return count.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * cuDevResourceGenerateDesc. Descriptors have no destroy call in the driver API.
     *
     * @param resources {@code count} contiguous structs from one split
     * @param count     how many
     * @return the {@code CUdevResourceDesc}
     */
    public static long generateDescriptor(MemorySegment resources, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuDevResourceGenerateDesc.invokeExact(out, resources, count), "cuDevResourceGenerateDesc");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * cuGreenCtxCreate with {@link #CU_GREEN_CTX_DEFAULT_STREAM}; retains the device's primary context.
     *
     * @param descriptor a {@code CUdevResourceDesc}
     * @param device     the {@code CUdevice} its resources came from
     * @return the {@code CUgreenCtx}
     */
    public static long create(long descriptor, int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuGreenCtxCreate.invokeExact(out, descriptor, device, CU_GREEN_CTX_DEFAULT_STREAM),
                    "cuGreenCtxCreate");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param green a {@code CUgreenCtx} whose streams were destroyed; releases its primary context retain */
    public static void destroy(long green) {
        try {
            check((int) CudaNative.cuGreenCtxDestroy.invokeExact(green), "cuGreenCtxDestroy");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param green a {@code CUgreenCtx} @return it as a {@code CUcontext}, to make current or pass to context calls */
    public static long context(long green) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuCtxFromGreenCtx.invokeExact(out, green), "cuCtxFromGreenCtx");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param green a {@code CUgreenCtx} @param out one zeroed struct to fill with the SMs it was given */
    public static void smResource(long green, MemorySegment out) {
        try {
            check((int) CudaNative.cuGreenCtxGetDevResource.invokeExact(green, out, CudaDevResource.TYPE_SM),
                    "cuGreenCtxGetDevResource");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * cuGreenCtxStreamCreate: a stream whose kernels run on the green context's SMs, whatever
     * context is current. Destroy it with {@link CudaDriver#streamDestroy(long)} before the green
     * context.
     *
     * @param green    a {@code CUgreenCtx}
     * @param flags    must include {@link CudaNative#CU_STREAM_NON_BLOCKING}
     * @param priority as for {@link CudaDriver#streamCreate(int, int)}; clamped by the driver
     * @return the {@code CUstream}
     */
    public static long streamCreate(long green, int flags, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuGreenCtxStreamCreate.invokeExact(out, green, flags, priority), "cuGreenCtxStreamCreate");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
