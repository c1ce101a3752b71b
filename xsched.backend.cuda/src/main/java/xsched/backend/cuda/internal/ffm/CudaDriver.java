package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.cuda.internal.ffm.CudaNative.CUDA_ERROR_INVALID_VALUE;
import static xsched.backend.cuda.internal.ffm.CudaNative.CUDA_ERROR_NOT_READY;
import static xsched.backend.cuda.internal.ffm.CudaNative.CUDA_SUCCESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import xsched.backend.cuda.CudaException;
import xsched.backend.support.CheckedCalls;

/**
 * The CUDA driver API as xsched uses it: one static method per driver call, return codes checked
 * at every call ({@link #check(int, String)} throws a {@link CudaException} naming the function,
 * the code and the driver's name for it), out-parameters hidden in per-call confined arenas.
 * Calls that need a current context expect the caller to have bound one with
 * {@link #contextSetCurrent(long)} on the calling thread. Handles are {@code long}s.
 */
public final class CudaDriver {
    private static final int MAX_PARAMS = 4096;
    private static final long JIT_LOG_BYTES = 8192;
    private static final CheckedCalls CALLS = new CheckedCalls("CUDA", CUDA_SUCCESS, CudaDriver::error);

    private CudaDriver() {
    }

    /**
     * Throws unless {@code rc} is {@code CUDA_SUCCESS}.
     *
     * @param rc       a {@code CUresult}
     * @param function the driver function that returned it
     * @throws CudaException when {@code rc} is an error
     */
    public static void check(int rc, String function) {
        CALLS.check(rc, function);
    }

    /**
     * @param rc       an error {@code CUresult}
     * @param function the driver function that returned it
     * @param detail   extra context, or {@code null}
     * @return the exception to throw
     */
    public static CudaException error(int rc, String function, String detail) {
        return new CudaException(function, rc, errorName(rc), errorString(rc), detail);
    }

    /** @param rc a {@code CUresult} @return its name, e.g. {@code CUDA_ERROR_NOT_READY} */
    public static String errorName(int rc) {
        return describe(CudaNative.cuGetErrorName, rc).orElse("CUDA_ERROR_" + rc);
    }

    /** @param rc a {@code CUresult} @return the driver's description of it */
    public static String errorString(int rc) {
        return describe(CudaNative.cuGetErrorString, rc).orElse("unknown error code " + rc);
    }

    private static Optional<String> describe(java.lang.invoke.MethodHandle handle, int rc) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = (int) handle.invokeExact(rc, out);
            MemorySegment text = out.get(ADDRESS, 0);
            if (status != CUDA_SUCCESS || text.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            return Optional.of(text.reinterpret(1024).getString(0));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** cuInit(0). */
    public static void init() {
        try {
            check((int) CudaNative.cuInit.invokeExact(0), "cuInit");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the driver's CUDA version, e.g. 13000 */
    public static int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuDriverGetVersion.invokeExact(out), "cuDriverGetVersion");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return number of CUDA devices */
    public static int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuDeviceGetCount.invokeExact(out), "cuDeviceGetCount");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param ordinal 0…count-1 @return the {@code CUdevice} */
    public static int device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuDeviceGet.invokeExact(out, ordinal), "cuDeviceGet");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} @return its product name */
    public static String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(256);
            check((int) CudaNative.cuDeviceGetName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} @param attribute a {@code CUdevice_attribute} @return its value */
    public static int deviceAttribute(int device, int attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuDeviceGetAttribute.invokeExact(out, attribute, device), "cuDeviceGetAttribute");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} @return its memory in bytes */
    public static long deviceTotalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuDeviceTotalMem.invokeExact(out, device), "cuDeviceTotalMem_v2");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} @return its primary context, retained */
    public static long primaryContextRetain(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuDevicePrimaryCtxRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} @param flags {@code CU_CTX_*} flags for its primary context */
    public static void primaryContextSetFlags(int device, int flags) {
        try {
            check((int) CudaNative.cuDevicePrimaryCtxSetFlags.invokeExact(device, flags), "cuDevicePrimaryCtxSetFlags_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param device a {@code CUdevice} whose primary context this process retained */
    public static void primaryContextRelease(int device) {
        try {
            check((int) CudaNative.cuDevicePrimaryCtxRelease.invokeExact(device), "cuDevicePrimaryCtxRelease_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @param device a {@code CUdevice}
     * @return whether its primary context is active: retained at least once in this process
     */
    public static boolean primaryContextActive(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flags = arena.allocate(JAVA_INT);
            MemorySegment active = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuDevicePrimaryCtxGetState.invokeExact(device, flags, active), "cuDevicePrimaryCtxGetState");
            return active.get(JAVA_INT, 0) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param context a {@code CUcontext} to make current on the calling thread */
    public static void contextSetCurrent(long context) {
        try {
            check((int) CudaNative.cuCtxSetCurrent.invokeExact(context), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Waits for all work of the current context. */
    public static void contextSynchronize() {
        try {
            check((int) CudaNative.cuCtxSynchronize.invokeExact(), "cuCtxSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return {least, greatest} stream priority of the current context (greatest is numerically lowest) */
    public static int[] streamPriorityRange() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment least = arena.allocate(JAVA_INT);
            MemorySegment greatest = arena.allocate(JAVA_INT);
            check((int) CudaNative.cuCtxGetStreamPriorityRange.invokeExact(least, greatest), "cuCtxGetStreamPriorityRange");
            return new int[] {least.get(JAVA_INT, 0), greatest.get(JAVA_INT, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Loads a module from PTX text (NUL-terminated here), a cubin or a fatbin into the current
     * context; a PTX compile error carries the JIT's error log.
     *
     * @param image the module image
     * @return the {@code CUmodule}
     */
    public static long moduleLoad(byte[] image) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(image.length + 1L, 16);
            MemorySegment.copy(image, 0, data, JAVA_BYTE, 0, image.length);
            MemorySegment errorLog = arena.allocate(JIT_LOG_BYTES);
            MemorySegment options = arena.allocate(JAVA_INT, 2);
            options.setAtIndex(JAVA_INT, 0, CudaNative.CU_JIT_ERROR_LOG_BUFFER);
            options.setAtIndex(JAVA_INT, 1, CudaNative.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ADDRESS, 2);
            values.setAtIndex(ADDRESS, 0, errorLog);
            values.setAtIndex(JAVA_LONG, 1, JIT_LOG_BYTES);
            MemorySegment out = arena.allocate(JAVA_LONG);
            int rc = (int) CudaNative.cuModuleLoadDataEx.invokeExact(out, data, 2, options, values);
            if (rc != CUDA_SUCCESS) {
                String log = errorLog.getString(0);
                throw error(rc, "cuModuleLoadDataEx", log.isBlank() ? null : "JIT log: " + log);
            }
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param module a {@code CUmodule} to unload */
    public static void moduleUnload(long module) {
        try {
            check((int) CudaNative.cuModuleUnload.invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param module a {@code CUmodule} @param name a kernel's (unmangled) name @return the {@code CUfunction} */
    public static long moduleFunction(long module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            int rc = (int) CudaNative.cuModuleGetFunction.invokeExact(out, module, arena.allocateFrom(name));
            if (rc != CUDA_SUCCESS) {
                throw error(rc, "cuModuleGetFunction", "kernel '" + name + "'");
            }
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @param function a {@code CUfunction}
     * @return the size of each parameter in bytes, empty when the driver predates {@code cuFuncGetParamInfo} (CUDA 12.4)
     */
    public static Optional<int[]> functionParamSizes(long function) {
        if (!CudaNative.has("cuFuncGetParamInfo")) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offset = arena.allocate(JAVA_LONG);
            MemorySegment size = arena.allocate(JAVA_LONG);
            int[] sizes = new int[8];
            int count = 0;
            while (count < MAX_PARAMS) {
                int rc = (int) CudaNative.cuFuncGetParamInfo.invokeExact(function, (long) count, offset, size);
                if (rc == CUDA_ERROR_INVALID_VALUE) {
                    break;
                }
                check(rc, "cuFuncGetParamInfo");
                if (count == sizes.length) {
                    sizes = Arrays.copyOf(sizes, count * 2);
                }
                sizes[count++] = (int) size.get(JAVA_LONG, 0);
            }
            return Optional.of(Arrays.copyOf(sizes, count));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param flags e.g. {@link CudaNative#CU_STREAM_NON_BLOCKING} @param priority within {@link #streamPriorityRange()} @return the {@code CUstream} */
    public static long streamCreate(int flags, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuStreamCreateWithPriority.invokeExact(out, flags, priority), "cuStreamCreateWithPriority");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param stream a {@code CUstream} to destroy */
    public static void streamDestroy(long stream) {
        try {
            check((int) CudaNative.cuStreamDestroy.invokeExact(stream), "cuStreamDestroy_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param stream a {@code CUstream} to wait for */
    public static void streamSynchronize(long stream) {
        try {
            check((int) CudaNative.cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param stream a {@code CUstream} @param event the {@code CUevent} its later work waits for */
    public static void streamWaitEvent(long stream, long event) {
        try {
            check((int) CudaNative.cuStreamWaitEvent.invokeExact(stream, event, 0), "cuStreamWaitEvent");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param flags e.g. {@link CudaNative#CU_EVENT_DISABLE_TIMING} @return the {@code CUevent} */
    public static long eventCreate(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) CudaNative.cuEventCreate.invokeExact(out, flags), "cuEventCreate");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param event a {@code CUevent} @param stream the {@code CUstream} to record it in */
    public static void eventRecord(long event, long stream) {
        try {
            check((int) CudaNative.cuEventRecord.invokeExact(event, stream), "cuEventRecord");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @param event a {@code CUevent}
     * @return true when the work before it has completed, false while it has not
     * @throws CudaException for any other result, e.g. an error of the work before it
     */
    public static boolean eventQuery(long event) {
        int rc;
        try {
            rc = (int) CudaNative.cuEventQuery.invokeExact(event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (rc == CUDA_ERROR_NOT_READY) {
            return false;
        }
        check(rc, "cuEventQuery");
        return true;
    }

    /** @param event a {@code CUevent} to wait for */
    public static void eventSynchronize(long event) {
        try {
            check((int) CudaNative.cuEventSynchronize.invokeExact(event), "cuEventSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param event a {@code CUevent} to destroy */
    public static void eventDestroy(long event) {
        try {
            check((int) CudaNative.cuEventDestroy.invokeExact(event), "cuEventDestroy_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * cuLaunchKernel with {@code kernelParams} and no {@code extra}.
     *
     * @param function {@code CUfunction}
     * @param gx grid x @param gy grid y @param gz grid z
     * @param bx block x @param by block y @param bz block z
     * @param sharedMemBytes dynamic shared memory
     * @param stream {@code CUstream}
     * @param params array of pointers, one per kernel parameter, each to the parameter's value
     */
    public static void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz,
                                    int sharedMemBytes, long stream, MemorySegment params) {
        int rc;
        try {
            rc = (int) CudaNative.cuLaunchKernel.invokeExact(function, gx, gy, gz, bx, by, bz, sharedMemBytes, stream,
                    params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, "cuLaunchKernel");
    }

    static RuntimeException rethrow(Throwable t) {
        return CALLS.rethrow(t);
    }
}
