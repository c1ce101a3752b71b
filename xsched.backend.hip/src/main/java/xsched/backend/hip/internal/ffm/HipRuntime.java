package xsched.backend.hip.internal.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import xsched.backend.hip.HipException;
import xsched.backend.support.CheckedCalls;
import xsched.backend.support.VendorLibrary;

/**
 * The HIP runtime API as xsched uses it: one static method per call, return codes checked at every
 * call ({@link #check(int, String)} throws a {@link HipException} naming the function and the
 * runtime's name for the error), out-parameters in per-call confined arenas. Calls that act on
 * "the current device" (allocation, module loading, stream and event creation) expect the caller to
 * have bound it with {@link #setDevice(int)} on the calling thread. Handles are {@code long}s.
 */
public final class HipRuntime {
    /** hipError_t: success. */
    public static final int HIP_SUCCESS = 0;
    /** hipError_t: the runtime has no device (hipGetDeviceCount). */
    public static final int HIP_ERROR_NO_DEVICE = 100;
    /** hipError_t: the device ordinal is out of range, or there is no device at all (hipInit on a host without GPU). */
    public static final int HIP_ERROR_INVALID_DEVICE = 101;
    /** hipError_t: no kernel of that name in the module. */
    public static final int HIP_ERROR_NOT_FOUND = 500;
    /** hipError_t: the queried work has not completed yet. */
    public static final int HIP_ERROR_NOT_READY = 600;

    /** hipDeviceAttribute_t (the same number in ROCm 5.2 and 6): maximum block size in x; y and z follow. */
    public static final int ATTR_MAX_BLOCK_DIM_X = 26;
    /** hipDeviceAttribute_t: maximum grid size in x; y and z follow. */
    public static final int ATTR_MAX_GRID_DIM_X = 29;
    /** hipDeviceAttribute_t: maximum threads per block. */
    public static final int ATTR_MAX_THREADS_PER_BLOCK = 56;
    /** hipDeviceAttribute_t: compute units. */
    public static final int ATTR_MULTIPROCESSOR_COUNT = 63;

    /** hipStreamCreateWithFlags flag: no implicit synchronization with the NULL stream. */
    public static final int HIP_STREAM_NON_BLOCKING = 0x1;
    /** hipEventCreateWithFlags flag: no timing data, the cheapest event to record and query. */
    public static final int HIP_EVENT_DISABLE_TIMING = 0x2;

    private static final CheckedCalls CALLS = new CheckedCalls("HIP", HIP_SUCCESS, HipRuntime::error);

    private HipRuntime() {
    }

    /** @return the library the handles were bound against */
    public static VendorLibrary library() {
        return HipNative.BINDINGS.library();
    }

    /** @return every HIP symbol this backend calls, in binding order */
    public static List<String> symbols() {
        return HipNative.BINDINGS.symbols();
    }

    /** @return the symbols the library lacks; all of them when it is absent, none when all resolved */
    public static List<String> missingSymbols() {
        return HipNative.BINDINGS.missing();
    }

    /**
     * @param rc       a {@code hipError_t}
     * @param function the HIP function that returned it
     * @throws HipException unless it is {@code hipSuccess}
     */
    public static void check(int rc, String function) {
        CALLS.check(rc, function);
    }

    /** @return the exception for a failed call, with the runtime's description when it adds to the name */
    public static HipException error(int rc, String function, String detail) {
        String name = errorName(rc);
        String text = errorString(rc);
        String more = text.equals(name) || text.isBlank() ? detail : detail == null ? text : text + "; " + detail;
        return new HipException(function, rc, name, more);
    }

    /** @param rc a {@code hipError_t} @return its name, e.g. {@code hipErrorNoDevice} */
    public static String errorName(int rc) {
        return text(HipNative.hipGetErrorName, rc).orElse("hipError" + rc);
    }

    /** @param rc a {@code hipError_t} @return the runtime's description (ROCm 5 returns the name again) */
    public static String errorString(int rc) {
        return text(HipNative.hipGetErrorString, rc).orElse("");
    }

    private static Optional<String> text(MethodHandle handle, int rc) {
        try {
            MemorySegment text = (MemorySegment) handle.invokeExact(rc);
            if (text.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            return Optional.of(text.reinterpret(1024).getString(0, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    /** @return the status of {@code hipInit(0)}: the caller decides what a failure means */
    public static int init() {
        return CALLS.status(() -> (int) HipNative.hipInit.invokeExact(0));
    }

    /** @return the HIP runtime version, {@code major·10⁷ + minor·10⁵ + patch} */
    public static int runtimeVersion() {
        return CALLS.intOut(out -> (int) HipNative.hipRuntimeGetVersion.invokeExact(out), "hipRuntimeGetVersion");
    }

    /** @return the driver version as the HIP runtime reports it */
    public static int driverVersion() {
        return CALLS.intOut(out -> (int) HipNative.hipDriverGetVersion.invokeExact(out), "hipDriverGetVersion");
    }

    /** @param version a HIP version number @return it as {@code major.minor.patch}, e.g. {@code 5.2.21153} */
    public static String versionText(int version) {
        return (version / 10_000_000) + "." + (version / 100_000 % 100) + "." + (version % 100_000);
    }

    /**
     * @return how many GPUs the runtime sees
     * @throws HipException e.g. {@code hipErrorNoDevice} where there is none
     */
    public static int deviceCount() {
        return CALLS.intOut(out -> (int) HipNative.hipGetDeviceCount.invokeExact(out), "hipGetDeviceCount");
    }

    /** @param ordinal 0…count-1 @return the {@code hipDevice_t} */
    public static int device(int ordinal) {
        return CALLS.intOut(out -> (int) HipNative.hipDeviceGet.invokeExact(out, ordinal), "hipDeviceGet");
    }

    /** @param device a {@code hipDevice_t} @return its product name */
    public static String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(256);
            CALLS.call(() -> (int) HipNative.hipDeviceGetName.invokeExact(out, 256, device), "hipDeviceGetName");
            return out.getString(0, StandardCharsets.UTF_8).strip();
        }
    }

    /** @param attribute a {@code hipDeviceAttribute_t} @param ordinal the device @return its value */
    public static int deviceAttribute(int attribute, int ordinal) {
        return CALLS.intOut(out -> (int) HipNative.hipDeviceGetAttribute.invokeExact(out, attribute, ordinal),
                "hipDeviceGetAttribute");
    }

    /** @param device a {@code hipDevice_t} @return its memory in bytes */
    public static long deviceTotalMem(int device) {
        return CALLS.longOut(out -> (int) HipNative.hipDeviceTotalMem.invokeExact(out, device), "hipDeviceTotalMem");
    }

    /** Makes {@code ordinal} the calling thread's current device. */
    public static void setDevice(int ordinal) {
        CALLS.call(() -> (int) HipNative.hipSetDevice.invokeExact(ordinal), "hipSetDevice");
    }

    /** @param image a code object or offload bundle in native memory @return the {@code hipModule_t} on the current device */
    public static long moduleLoadData(MemorySegment image) {
        return CALLS.longOut(out -> (int) HipNative.hipModuleLoadData.invokeExact(out, image), "hipModuleLoadData");
    }

    /** Unloads a module. */
    public static void moduleUnload(long module) {
        CALLS.call(() -> (int) HipNative.hipModuleUnload.invokeExact(module), "hipModuleUnload");
    }

    /**
     * @return the {@code hipFunction_t} of the kernel {@code name}
     * @throws HipException ({@link #HIP_ERROR_NOT_FOUND}) when the module has none of that name
     */
    public static long moduleFunction(long module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name, StandardCharsets.UTF_8);
            return CALLS.longOut(out -> (int) HipNative.hipModuleGetFunction.invokeExact(out, module, cName),
                    "hipModuleGetFunction");
        }
    }

    /**
     * Launches a kernel; the runtime copies the argument values before it returns.
     *
     * @param params the {@code kernelParams} array: one pointer per parameter to its value
     */
    public static void launchKernel(long function, int gx, int gy, int gz, int bx, int by, int bz, int sharedMemBytes,
            long stream, MemorySegment params) {
        int rc;
        try {
            rc = (int) HipNative.hipModuleLaunchKernel.invokeExact(function, gx, gy, gz, bx, by, bz, sharedMemBytes, stream,
                    params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw CALLS.rethrow(t);
        }
        CALLS.check(rc, "hipModuleLaunchKernel");
    }

    /** @return {@code bytes} of device memory on the current device */
    public static long malloc(long bytes) {
        return CALLS.longOut(out -> (int) HipNative.hipMalloc.invokeExact(out, bytes), "hipMalloc");
    }

    /** Frees device memory. */
    public static void free(long pointer) {
        CALLS.call(() -> (int) HipNative.hipFree.invokeExact(pointer), "hipFree");
    }

    /** Blocking host-to-device copy (setup, outside queues). */
    public static void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        CALLS.call(() -> (int) HipNative.hipMemcpyHtoD.invokeExact(dst, src, bytes), "hipMemcpyHtoD");
    }

    /** Blocking device-to-host copy (setup, outside queues). */
    public static void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        CALLS.call(() -> (int) HipNative.hipMemcpyDtoH.invokeExact(dst, src, bytes), "hipMemcpyDtoH");
    }

    /** Asynchronous host-to-device copy; {@code src} must stay valid until it ran. */
    public static void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, long stream) {
        CALLS.call(() -> (int) HipNative.hipMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "hipMemcpyHtoDAsync");
    }

    /** Asynchronous device-to-host copy; {@code dst} must stay valid until it ran. */
    public static void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, long stream) {
        CALLS.call(() -> (int) HipNative.hipMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "hipMemcpyDtoHAsync");
    }

    /** Asynchronous device-to-device copy. */
    public static void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        CALLS.call(() -> (int) HipNative.hipMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "hipMemcpyDtoDAsync");
    }

    /** Asynchronously sets {@code count} bytes to {@code value}. */
    public static void memsetD8Async(long dst, byte value, long count, long stream) {
        CALLS.call(() -> (int) HipNative.hipMemsetD8Async.invokeExact(dst, value, count, stream), "hipMemsetD8Async");
    }

    /** Asynchronously sets {@code count} 32-bit words to {@code value}. */
    public static void memsetD32Async(long dst, int value, long count, long stream) {
        CALLS.call(() -> (int) HipNative.hipMemsetD32Async.invokeExact(dst, value, count, stream), "hipMemsetD32Async");
    }

    /** @return a new stream on the current device */
    public static long streamCreate(int flags) {
        return CALLS.longOut(out -> (int) HipNative.hipStreamCreateWithFlags.invokeExact(out, flags), "hipStreamCreateWithFlags");
    }

    /** Destroys a stream. */
    public static void streamDestroy(long stream) {
        CALLS.call(() -> (int) HipNative.hipStreamDestroy.invokeExact(stream), "hipStreamDestroy");
    }

    /** Blocks until the stream's work completed; an asynchronous error of that work is thrown. */
    public static void streamSynchronize(long stream) {
        CALLS.call(() -> (int) HipNative.hipStreamSynchronize.invokeExact(stream), "hipStreamSynchronize");
    }

    /** @return a new event on the current device */
    public static long eventCreate(int flags) {
        return CALLS.longOut(out -> (int) HipNative.hipEventCreateWithFlags.invokeExact(out, flags), "hipEventCreateWithFlags");
    }

    /** Records an event behind the stream's work so far. */
    public static void eventRecord(long event, long stream) {
        CALLS.call(() -> (int) HipNative.hipEventRecord.invokeExact(event, stream), "hipEventRecord");
    }

    /**
     * @return true when the event completed, false while not ready
     * @throws HipException when the runtime reports an error instead
     */
    public static boolean eventQuery(long event) {
        int rc = CALLS.status(() -> (int) HipNative.hipEventQuery.invokeExact(event));
        if (rc == HIP_ERROR_NOT_READY) {
            return false;
        }
        CALLS.check(rc, "hipEventQuery");
        return true;
    }

    /** Blocks until the event completed; an error of the work before it is thrown. */
    public static void eventSynchronize(long event) {
        CALLS.call(() -> (int) HipNative.hipEventSynchronize.invokeExact(event), "hipEventSynchronize");
    }

    /** Destroys an event. */
    public static void eventDestroy(long event) {
        CALLS.call(() -> (int) HipNative.hipEventDestroy.invokeExact(event), "hipEventDestroy");
    }
}
