package xsched.run.agent;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Optional;

/**
 * The C signatures of the driver entry points the interposer can hand over, by name (LP64:
 * handles are pointers, {@code CUdeviceptr} and {@code size_t} 64-bit, {@code CUresult} an int).
 * The per-thread-default-stream variants ({@code _ptsz}) have their base's signature.
 */
final class EntryPoints {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final Map<String, FunctionDescriptor> BASE = Map.ofEntries(
            // (CUfunction, grid xyz, block xyz, shared bytes, CUstream, void **params, void **extra)
            Map.entry("cuLaunchKernel", FunctionDescriptor.of(INT, PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR)),
            // (const CUlaunchConfig *, CUfunction, void **params, void **extra)
            Map.entry("cuLaunchKernelEx", FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR)),
            Map.entry("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(INT, LONG, PTR, LONG, PTR)),
            Map.entry("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(INT, PTR, LONG, LONG, PTR)),
            Map.entry("cuMemsetD8Async", FunctionDescriptor.of(INT, LONG, ValueLayout.JAVA_BYTE, LONG, PTR)),
            Map.entry("cuEventRecord", FunctionDescriptor.of(INT, PTR, PTR)),
            Map.entry("cuStreamWaitEvent", FunctionDescriptor.of(INT, PTR, PTR, INT)),
            Map.entry("cuStreamSynchronize", FunctionDescriptor.of(INT, PTR)),
            Map.entry("cuCtxSynchronize", FunctionDescriptor.of(INT)),
            // CUDA 13: cuGetProcAddress("cuCtxSynchronize") for version 13000 on gives this one, with a context
            Map.entry("cuCtxSynchronize_v2", FunctionDescriptor.of(INT, PTR)),
            Map.entry("cuEventSynchronize", FunctionDescriptor.of(INT, PTR)),
            Map.entry("cuLaunchHostFunc", FunctionDescriptor.of(INT, PTR, PTR, PTR)),
            Map.entry("cuGraphLaunch", FunctionDescriptor.of(INT, PTR, PTR)));

    private EntryPoints() {
    }

    /**
     * @param name an entry point's name, possibly with a per-thread suffix ({@code _ptsz}, {@code _ptds})
     * @return its C signature, or empty for a name this agent does not know
     */
    static Optional<FunctionDescriptor> signature(String name) {
        String base = name.endsWith("_ptsz") || name.endsWith("_ptds") ? name.substring(0, name.length() - 5) : name;
        return Optional.ofNullable(BASE.get(base));
    }
}
