package xsched.backend.cuda;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ptx.EntryGuard;

/**
 * A loaded module ({@code CUmodule}): PTX JIT-compiled for the GPU, or a cubin or fatbin, or PTX
 * rewritten to be preemptible ({@link CudaGpu#loadPreemptible}). Its kernels are looked up by
 * their unmangled ({@code extern "C"}) names.
 */
public final class CudaModule extends GpuResource {
    private final long handle;
    private final String label;
    private final Map<String, CudaKernel> kernels = new ConcurrentHashMap<>();
    /** What the guardian did to each entry of a preemptible module; null for a module loaded as it is. */
    private final Map<String, EntryGuard> guards;

    CudaModule(CudaGpu gpu, long handle, String label) {
        this(gpu, handle, label, null);
    }

    CudaModule(CudaGpu gpu, long handle, String label, Map<String, EntryGuard> guards) {
        super(gpu, "was unloaded");
        this.handle = handle;
        this.label = label;
        this.guards = guards;
    }

    /** @return the {@code CUmodule} */
    public long handle() {
        return handle;
    }

    /**
     * @param name an {@code extern "C"} kernel name
     * @return the kernel, with its parameter sizes when the driver reports them (CUDA 12.4+)
     * @throws CudaException ({@code CUDA_ERROR_NOT_FOUND}) when the module has no such kernel
     */
    public CudaKernel kernel(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return kernels.computeIfAbsent(name, n -> {
            gpu.bind();
            long function = CudaDriver.moduleFunction(handle, n);
            EntryGuard guard = guards == null ? null : guards.get(n);
            return new CudaKernel(this, n, function, CudaDriver.functionParamSizes(function).orElse(null), guard);
        });
    }

    @Override
    void release() {
        CudaDriver.moduleUnload(handle);
    }

    @Override
    public String toString() {
        return "CudaModule[" + gpu.id() + " " + label + "]";
    }
}
