package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * Raw downcall handles into {@code libcuda.so.1}, one per driver entry point, and the constants
 * they take. Every function returns a {@code CUresult} ({@code int}). Handle types ({@code
 * CUcontext}, {@code CUmodule}, {@code CUfunction}, {@code CUstream}, {@code CUevent}) and {@code
 * CUdeviceptr} travel as {@code long}: on every LP64 ABI a pointer argument is passed exactly like
 * a 64-bit integer, and a {@code long} spares a {@code MemorySegment} per call on the launch path.
 * Host buffers and out-parameters are {@code MemorySegment}s.
 *
 * <p>The handles are created when this class initializes, which first opens the library. A symbol
 * the library lacks (or every symbol, when the library is absent) gets a handle that throws
 * {@link UnsupportedOperationException} naming it, so initialization itself never fails. Names
 * are the exported symbols, {@code _v2} where {@code cuda.h} maps the API name to one. Only
 * {@link CudaDriver} calls these.
 */
public final class CudaNative {
    private CudaNative() {
    }

    /** CUresult: success. */
    public static final int CUDA_SUCCESS = 0;
    /** CUresult: an argument is out of range. */
    public static final int CUDA_ERROR_INVALID_VALUE = 1;
    /** CUresult: no CUDA device is present. */
    public static final int CUDA_ERROR_NO_DEVICE = 100;
    /** CUresult: the queried work has not completed yet. */
    public static final int CUDA_ERROR_NOT_READY = 600;

    /** CUdevice_attribute: multiprocessor count. */
    public static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    /** CUdevice_attribute: compute capability, major. */
    public static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    /** CUdevice_attribute: compute capability, minor. */
    public static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    /** CUdevice_attribute: maximum threads per block. */
    public static final int ATTR_MAX_THREADS_PER_BLOCK = 1;

    /** cuEventCreate flag: cuEventSynchronize blocks the thread instead of spinning. */
    public static final int CU_EVENT_BLOCKING_SYNC = 0x1;
    /** cuEventCreate flag: no timing data, the cheapest event to record and query. */
    public static final int CU_EVENT_DISABLE_TIMING = 0x2;
    /** cuStreamCreate flag: no implicit synchronization with the legacy NULL stream. */
    public static final int CU_STREAM_NON_BLOCKING = 0x1;
    /** cuStreamWaitValue32 flag: wait until {@code (int32_t)(*addr - value) >= 0}. */
    public static final int CU_STREAM_WAIT_VALUE_GEQ = 0x0;
    /** cuStreamWriteValue32 flag: the default, with a memory barrier before the write. */
    public static final int CU_STREAM_WRITE_VALUE_DEFAULT = 0x0;

    /** CUjit_option: info log buffer. */
    public static final int CU_JIT_INFO_LOG_BUFFER = 3;
    /** CUjit_option: info log buffer size in bytes. */
    public static final int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    /** CUjit_option: error log buffer. */
    public static final int CU_JIT_ERROR_LOG_BUFFER = 5;
    /** CUjit_option: error log buffer size in bytes. */
    public static final int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VendorLibrary LIBRARY = CudaLibrary.system();
    private static final MethodHandle MISSING;

    static {
        try {
            MISSING = MethodHandles.lookup().findStatic(CudaNative.class, "missing",
                    MethodType.methodType(int.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final MethodHandle cuGetErrorName = bind("cuGetErrorName", JAVA_INT, ADDRESS);
    static final MethodHandle cuGetErrorString = bind("cuGetErrorString", JAVA_INT, ADDRESS);
    static final MethodHandle cuInit = bind("cuInit", JAVA_INT);
    static final MethodHandle cuDriverGetVersion = bind("cuDriverGetVersion", ADDRESS);
    static final MethodHandle cuDeviceGetCount = bind("cuDeviceGetCount", ADDRESS);
    static final MethodHandle cuDeviceGet = bind("cuDeviceGet", ADDRESS, JAVA_INT);
    static final MethodHandle cuDeviceGetName = bind("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle cuDeviceGetAttribute = bind("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle cuDeviceTotalMem = bind("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
    static final MethodHandle cuDevicePrimaryCtxRetain = bind("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
    static final MethodHandle cuDevicePrimaryCtxSetFlags = bind("cuDevicePrimaryCtxSetFlags_v2", JAVA_INT, JAVA_INT);
    static final MethodHandle cuDevicePrimaryCtxRelease = bind("cuDevicePrimaryCtxRelease_v2", JAVA_INT);
    static final MethodHandle cuDevicePrimaryCtxGetState = bind("cuDevicePrimaryCtxGetState", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle cuCtxSetCurrent = bind("cuCtxSetCurrent", JAVA_LONG);
    static final MethodHandle cuCtxSynchronize = bind("cuCtxSynchronize");
    static final MethodHandle cuCtxGetStreamPriorityRange = bind("cuCtxGetStreamPriorityRange", ADDRESS, ADDRESS);
    static final MethodHandle cuModuleLoadDataEx = bind("cuModuleLoadDataEx", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle cuModuleUnload = bind("cuModuleUnload", JAVA_LONG);
    static final MethodHandle cuModuleGetFunction = bind("cuModuleGetFunction", ADDRESS, JAVA_LONG, ADDRESS);
    /** CUDA 12.4 and later; {@link #has(String)} tells. */
    static final MethodHandle cuFuncGetParamInfo = bind("cuFuncGetParamInfo", JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle cuMemAlloc = bind("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
    static final MethodHandle cuMemFree = bind("cuMemFree_v2", JAVA_LONG);
    static final MethodHandle cuMemAllocHost = bind("cuMemAllocHost_v2", ADDRESS, JAVA_LONG);
    static final MethodHandle cuMemFreeHost = bind("cuMemFreeHost", ADDRESS);
    static final MethodHandle cuMemcpyHtoD = bind("cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle cuMemcpyDtoH = bind("cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuMemcpyHtoDAsync = bind("cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuMemcpyDtoHAsync = bind("cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuMemcpyDtoDAsync = bind("cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuMemsetD8Async = bind("cuMemsetD8Async", JAVA_LONG, JAVA_BYTE, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuMemsetD32Async = bind("cuMemsetD32Async", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuStreamCreateWithPriority = bind("cuStreamCreateWithPriority", ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle cuStreamDestroy = bind("cuStreamDestroy_v2", JAVA_LONG);
    static final MethodHandle cuStreamSynchronize = bind("cuStreamSynchronize", JAVA_LONG);
    static final MethodHandle cuStreamGetCtx = bind("cuStreamGetCtx", JAVA_LONG, ADDRESS);
    static final MethodHandle cuCtxGetCurrent = bind("cuCtxGetCurrent", ADDRESS);
    static final MethodHandle cuStreamIsCapturing = bind("cuStreamIsCapturing", JAVA_LONG, ADDRESS);
    static final MethodHandle cuThreadExchangeStreamCaptureMode = bind("cuThreadExchangeStreamCaptureMode", ADDRESS);
    static final MethodHandle cuStreamWaitEvent = bind("cuStreamWaitEvent", JAVA_LONG, JAVA_LONG, JAVA_INT);
    static final MethodHandle cuEventCreate = bind("cuEventCreate", ADDRESS, JAVA_INT);
    static final MethodHandle cuEventRecord = bind("cuEventRecord", JAVA_LONG, JAVA_LONG);
    static final MethodHandle cuEventQuery = bind("cuEventQuery", JAVA_LONG);
    static final MethodHandle cuEventSynchronize = bind("cuEventSynchronize", JAVA_LONG);
    static final MethodHandle cuEventDestroy = bind("cuEventDestroy_v2", JAVA_LONG);
    /** CUDA 11.7 and later (the v2 stream memory operations, what {@code cuda.h} 12+ maps the API name to); {@link #has(String)} tells. */
    static final MethodHandle cuStreamWaitValue32 = bind("cuStreamWaitValue32_v2", JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
    /** CUDA 11.7 and later, like {@link #cuStreamWaitValue32}. */
    static final MethodHandle cuStreamWriteValue32 = bind("cuStreamWriteValue32_v2", JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
    static final MethodHandle cuLaunchKernel = bind("cuLaunchKernel", JAVA_LONG,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);

    // Green contexts (SM partitions): CUDA 12.4 and later, cuGreenCtxStreamCreate 12.5; optional, see
    // CudaGreenContexts. CUgreenCtx and CUdevResourceDesc travel as long; CUdevResource structs by address.
    static final MethodHandle cuDeviceGetDevResource = bind("cuDeviceGetDevResource", JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle cuDevSmResourceSplitByCount = bind("cuDevSmResourceSplitByCount",
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle cuDevResourceGenerateDesc = bind("cuDevResourceGenerateDesc", ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle cuGreenCtxCreate = bind("cuGreenCtxCreate", ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT);
    static final MethodHandle cuGreenCtxDestroy = bind("cuGreenCtxDestroy", JAVA_LONG);
    static final MethodHandle cuCtxFromGreenCtx = bind("cuCtxFromGreenCtx", ADDRESS, JAVA_LONG);
    static final MethodHandle cuGreenCtxGetDevResource = bind("cuGreenCtxGetDevResource", JAVA_LONG, ADDRESS, JAVA_INT);
    static final MethodHandle cuGreenCtxStreamCreate = bind("cuGreenCtxStreamCreate", ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT);

    /** @return the library the handles were bound against */
    public static VendorLibrary library() {
        return LIBRARY;
    }

    /**
     * @param symbol an exported name
     * @return whether the loaded driver exports it (optional entry points such as {@code cuFuncGetParamInfo})
     */
    public static boolean has(String symbol) {
        return LIBRARY.find(symbol).isPresent();
    }

    private static MethodHandle bind(String symbol, MemoryLayout... args) {
        FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_INT, args);
        Optional<java.lang.foreign.MemorySegment> address = LIBRARY.find(symbol);
        if (address.isPresent()) {
            return LINKER.downcallHandle(address.get(), descriptor);
        }
        MethodHandle thrower = MethodHandles.insertArguments(MISSING, 0, symbol);
        return MethodHandles.dropArguments(thrower, 0, descriptor.toMethodType().parameterList());
    }

    private static int missing(String symbol) {
        String why = LIBRARY.absentReason().map(r -> "CUDA unsupported because " + r)
                .orElse("the CUDA driver " + LIBRARY.source().orElse("") + " does not export " + symbol
                        + "; it is older than this backend needs");
        throw new UnsupportedOperationException(symbol + ": " + why);
    }
}
