package xsched.backend.levelzero.internal.ze;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * Raw downcall handles into {@code libze_loader.so.1}, one per entry point this backend uses, named
 * exactly as the symbol. Every function returns a {@code ze_result_t} ({@code int}). Handle types
 * ({@code ze_driver_handle_t}, {@code ze_device_handle_t}, {@code ze_context_handle_t}, command
 * queues and lists, events, fences, modules, kernels), USM pointers, {@code size_t} and {@code
 * uint64_t} travel as {@code long}: on every LP64 ABI a pointer argument is passed exactly like a
 * 64-bit integer. Descriptors, property structs and out-parameters are {@code MemorySegment}s
 * (layouts in {@link ZeStructs}). Only the facade — {@link LevelZero}, {@link ZeModuleCalls} and
 * {@link ZeQueueCalls} — calls these.
 *
 * <p>Every symbol is looked up when this class initializes. A symbol the loader lacks (or every
 * symbol, when the loader is absent) gets a handle that throws {@link UnsupportedOperationException}
 * naming it, and is listed by {@link #missingSymbols()}, so initialization itself never fails and
 * {@code ZePlatform.open} can refuse with the names before anything is called.
 */
public final class ZeNative {
    private ZeNative() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VendorLibrary LIBRARY = ZeLibrary.system();
    private static final List<String> SYMBOLS = new ArrayList<>();
    private static final List<String> MISSING = new ArrayList<>();
    private static final MethodHandle THROW_MISSING;

    static {
        try {
            THROW_MISSING = MethodHandles.lookup().findStatic(ZeNative.class, "missing",
                    MethodType.methodType(int.class, String.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // drivers and devices
    static final MethodHandle zeInit = bind("zeInit", JAVA_INT);
    static final MethodHandle zeDriverGet = bind("zeDriverGet", ADDRESS, ADDRESS);
    static final MethodHandle zeDriverGetApiVersion = bind("zeDriverGetApiVersion", JAVA_LONG, ADDRESS);
    static final MethodHandle zeDriverGetProperties = bind("zeDriverGetProperties", JAVA_LONG, ADDRESS);
    static final MethodHandle zeDriverGetExtensionProperties = bind("zeDriverGetExtensionProperties", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeDeviceGet = bind("zeDeviceGet", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeDeviceGetProperties = bind("zeDeviceGetProperties", JAVA_LONG, ADDRESS);
    static final MethodHandle zeDeviceGetComputeProperties = bind("zeDeviceGetComputeProperties", JAVA_LONG, ADDRESS);
    static final MethodHandle zeDeviceGetCommandQueueGroupProperties = bind("zeDeviceGetCommandQueueGroupProperties",
            JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeContextCreate = bind("zeContextCreate", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeContextDestroy = bind("zeContextDestroy", JAVA_LONG);

    // command queues and lists
    static final MethodHandle zeCommandQueueCreate = bind("zeCommandQueueCreate", JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeCommandQueueDestroy = bind("zeCommandQueueDestroy", JAVA_LONG);
    static final MethodHandle zeCommandQueueExecuteCommandLists = bind("zeCommandQueueExecuteCommandLists",
            JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    static final MethodHandle zeCommandQueueSynchronize = bind("zeCommandQueueSynchronize", JAVA_LONG, JAVA_LONG);
    static final MethodHandle zeCommandListCreate = bind("zeCommandListCreate", JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeCommandListCreateImmediate = bind("zeCommandListCreateImmediate", JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeCommandListDestroy = bind("zeCommandListDestroy", JAVA_LONG);
    static final MethodHandle zeCommandListClose = bind("zeCommandListClose", JAVA_LONG);
    static final MethodHandle zeCommandListReset = bind("zeCommandListReset", JAVA_LONG);
    static final MethodHandle zeCommandListAppendBarrier = bind("zeCommandListAppendBarrier", JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS);
    static final MethodHandle zeCommandListAppendMemoryCopy = bind("zeCommandListAppendMemoryCopy",
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS);
    static final MethodHandle zeCommandListAppendLaunchKernel = bind("zeCommandListAppendLaunchKernel",
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);

    // events and fences
    static final MethodHandle zeEventPoolCreate = bind("zeEventPoolCreate", JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle zeEventPoolDestroy = bind("zeEventPoolDestroy", JAVA_LONG);
    static final MethodHandle zeEventCreate = bind("zeEventCreate", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeEventDestroy = bind("zeEventDestroy", JAVA_LONG);
    static final MethodHandle zeEventHostSynchronize = bind("zeEventHostSynchronize", JAVA_LONG, JAVA_LONG);
    static final MethodHandle zeEventQueryStatus = bind("zeEventQueryStatus", JAVA_LONG);
    static final MethodHandle zeEventHostReset = bind("zeEventHostReset", JAVA_LONG);
    static final MethodHandle zeFenceCreate = bind("zeFenceCreate", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeFenceDestroy = bind("zeFenceDestroy", JAVA_LONG);
    static final MethodHandle zeFenceQueryStatus = bind("zeFenceQueryStatus", JAVA_LONG);
    static final MethodHandle zeFenceReset = bind("zeFenceReset", JAVA_LONG);

    // memory
    static final MethodHandle zeMemAllocDevice = bind("zeMemAllocDevice", JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    static final MethodHandle zeMemAllocHost = bind("zeMemAllocHost", JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    static final MethodHandle zeMemFree = bind("zeMemFree", JAVA_LONG, JAVA_LONG);

    // modules and kernels
    static final MethodHandle zeModuleCreate = bind("zeModuleCreate", JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle zeModuleDestroy = bind("zeModuleDestroy", JAVA_LONG);
    static final MethodHandle zeModuleBuildLogGetString = bind("zeModuleBuildLogGetString", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeModuleBuildLogDestroy = bind("zeModuleBuildLogDestroy", JAVA_LONG);
    static final MethodHandle zeModuleGetKernelNames = bind("zeModuleGetKernelNames", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeKernelCreate = bind("zeKernelCreate", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle zeKernelDestroy = bind("zeKernelDestroy", JAVA_LONG);
    static final MethodHandle zeKernelGetProperties = bind("zeKernelGetProperties", JAVA_LONG, ADDRESS);
    static final MethodHandle zeKernelSetGroupSize = bind("zeKernelSetGroupSize", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle zeKernelSetArgumentValue = bind("zeKernelSetArgumentValue", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);

    /** @return the library the handles were bound against */
    public static VendorLibrary library() {
        return LIBRARY;
    }

    /** @return every symbol this class binds, in declaration order */
    public static List<String> symbols() {
        return Collections.unmodifiableList(SYMBOLS);
    }

    /** @return the symbols the library does not export (every one when the library is absent) */
    public static List<String> missingSymbols() {
        return Collections.unmodifiableList(MISSING);
    }

    /** @return the symbols of this facade that {@code library} does not export (all of them when it is absent) */
    public static List<String> missingIn(VendorLibrary library) {
        return SYMBOLS.stream().filter(symbol -> library.find(symbol).isEmpty()).toList();
    }

    private static MethodHandle bind(String symbol, MemoryLayout... args) {
        SYMBOLS.add(symbol);
        if (LIBRARY.find(symbol).isEmpty()) {
            MISSING.add(symbol);
        }
        return bind(LIBRARY, symbol, FunctionDescriptor.of(JAVA_INT, args));
    }

    /**
     * @return a downcall handle for {@code symbol} in {@code library}, or, where the library lacks it,
     *         a handle of the same type that throws {@link UnsupportedOperationException} naming the
     *         symbol and why it is missing
     */
    static MethodHandle bind(VendorLibrary library, String symbol, FunctionDescriptor descriptor) {
        Optional<MemorySegment> address = library.find(symbol);
        if (address.isPresent()) {
            return LINKER.downcallHandle(address.get(), descriptor);
        }
        String why = library.absentReason().map(r -> "Level Zero unsupported because " + r)
                .orElse("the Level Zero loader " + library.source().orElse("") + " does not export " + symbol
                        + "; it is older than this backend needs (loader 1.8, API 1.4)");
        MethodHandle thrower = MethodHandles.insertArguments(THROW_MISSING, 0, symbol, why);
        return MethodHandles.dropArguments(thrower, 0, descriptor.toMethodType().parameterList());
    }

    private static int missing(String symbol, String why) {
        throw new UnsupportedOperationException(symbol + ": " + why);
    }
}
