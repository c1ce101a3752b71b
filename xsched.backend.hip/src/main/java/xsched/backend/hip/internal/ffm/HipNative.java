package xsched.backend.hip.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;

/**
 * Raw downcall handles into {@code libamdhip64}, one per HIP entry point this backend uses, every
 * one bound when this class initializes (which first opens the library). Each returns a {@code
 * hipError_t} ({@code int}) except the two error-text functions, which return a {@code const
 * char*}. Handle types ({@code hipModule_t}, {@code hipFunction_t}, {@code hipStream_t}, {@code
 * hipEvent_t}), {@code hipDeviceptr_t} and {@code size_t} travel as {@code long}: on every LP64 ABI a
 * pointer argument is passed like a 64-bit integer. {@code hipDevice_t} is an {@code int}.
 * Signatures are those of {@code hip_runtime_api.h} of ROCm 5.2.3 (Debian 12's {@code
 * libamdhip64-dev}), unchanged in ROCm 6; no call takes a struct whose layout changed in ROCm 6
 * (that is why devices are described with {@code hipDeviceGetAttribute}, not {@code
 * hipGetDeviceProperties}). Only {@link HipRuntime} calls these.
 */
final class HipNative {
    private HipNative() {
    }

    static final Bindings BINDINGS = new Bindings(HipLibrary.system(), "this backend needs the HIP runtime of ROCm 5.2 or later");

    static final MethodHandle hipGetErrorName = text("hipGetErrorName");
    static final MethodHandle hipGetErrorString = text("hipGetErrorString");
    static final MethodHandle hipInit = status("hipInit", JAVA_INT);
    static final MethodHandle hipDriverGetVersion = status("hipDriverGetVersion", ADDRESS);
    static final MethodHandle hipRuntimeGetVersion = status("hipRuntimeGetVersion", ADDRESS);
    static final MethodHandle hipGetDeviceCount = status("hipGetDeviceCount", ADDRESS);
    static final MethodHandle hipDeviceGet = status("hipDeviceGet", ADDRESS, JAVA_INT);
    static final MethodHandle hipDeviceGetName = status("hipDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle hipDeviceGetAttribute = status("hipDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle hipDeviceTotalMem = status("hipDeviceTotalMem", ADDRESS, JAVA_INT);
    static final MethodHandle hipSetDevice = status("hipSetDevice", JAVA_INT);
    static final MethodHandle hipModuleLoadData = status("hipModuleLoadData", ADDRESS, ADDRESS);
    static final MethodHandle hipModuleUnload = status("hipModuleUnload", JAVA_LONG);
    static final MethodHandle hipModuleGetFunction = status("hipModuleGetFunction", ADDRESS, JAVA_LONG, ADDRESS);
    static final MethodHandle hipModuleLaunchKernel = status("hipModuleLaunchKernel", JAVA_LONG,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle hipMalloc = status("hipMalloc", ADDRESS, JAVA_LONG);
    static final MethodHandle hipFree = status("hipFree", JAVA_LONG);
    static final MethodHandle hipMemcpyHtoD = status("hipMemcpyHtoD", JAVA_LONG, ADDRESS, JAVA_LONG);
    static final MethodHandle hipMemcpyDtoH = status("hipMemcpyDtoH", ADDRESS, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipMemcpyHtoDAsync = status("hipMemcpyHtoDAsync", JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipMemcpyDtoHAsync = status("hipMemcpyDtoHAsync", ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipMemcpyDtoDAsync = status("hipMemcpyDtoDAsync", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipMemsetD8Async = status("hipMemsetD8Async", JAVA_LONG, JAVA_BYTE, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipMemsetD32Async = status("hipMemsetD32Async", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipStreamCreateWithFlags = status("hipStreamCreateWithFlags", ADDRESS, JAVA_INT);
    static final MethodHandle hipStreamDestroy = status("hipStreamDestroy", JAVA_LONG);
    static final MethodHandle hipStreamSynchronize = status("hipStreamSynchronize", JAVA_LONG);
    static final MethodHandle hipEventCreateWithFlags = status("hipEventCreateWithFlags", ADDRESS, JAVA_INT);
    static final MethodHandle hipEventRecord = status("hipEventRecord", JAVA_LONG, JAVA_LONG);
    static final MethodHandle hipEventQuery = status("hipEventQuery", JAVA_LONG);
    static final MethodHandle hipEventSynchronize = status("hipEventSynchronize", JAVA_LONG);
    static final MethodHandle hipEventDestroy = status("hipEventDestroy", JAVA_LONG);

    /** A function returning a {@code hipError_t}. */
    private static MethodHandle status(String symbol, MemoryLayout... args) {
        return BINDINGS.bind(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }

    /** {@code const char* f(hipError_t)}. */
    private static MethodHandle text(String symbol) {
        return BINDINGS.bind(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
