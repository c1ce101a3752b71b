package xsched.backend.hip;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import xsched.backend.hip.internal.codeobject.CodeObject;
import xsched.backend.hip.internal.ffm.HipRuntime;

/**
 * A loaded module ({@code hipModule_t}) from a code object. Its kernels are looked up by name
 * ({@code extern "C"} names, or the mangled name of a C++ kernel). When the code object's metadata
 * could be read, each kernel knows its parameters and every launch is checked against them when it
 * is built; otherwise {@link #uncheckedReason()} says why not, and a launch with the wrong
 * arguments fails or misbehaves on the GPU.
 */
public final class HipModule extends HipResource {
    private final long handle;
    private final Arena image;
    private final CodeObject info;
    private final Map<String, HipKernel> kernels = new ConcurrentHashMap<>();

    HipModule(HipDevice device, long handle, Arena image, CodeObject info) {
        super(device);
        this.handle = handle;
        this.image = image;
        this.info = Objects.requireNonNull(info, "info");
    }

    /** @return the {@code hipModule_t} */
    public long handle() {
        return handle;
    }

    /** @return the targets the code object holds code for, e.g. {@code amdgcn-amd-amdhsa--gfx90a}; empty when unknown */
    public List<String> targets() {
        return info.targets();
    }

    /** @return whether launches of its kernels are checked against their parameters */
    public boolean parametersChecked() {
        return info.readable();
    }

    /** @return why launches are not checked, empty when they are */
    public Optional<String> uncheckedReason() {
        return Optional.ofNullable(info.unreadableReason()).map(r -> "the code object's metadata cannot be read: " + r);
    }

    /** @return the kernel names the metadata lists; empty when it cannot be read */
    public List<String> kernelNames() {
        return List.copyOf(info.kernels().keySet());
    }

    /**
     * @param name a kernel's name
     * @return the kernel
     * @throws IllegalArgumentException when the module has no kernel of that name
     */
    public HipKernel kernel(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return kernels.computeIfAbsent(name, n -> {
            if (info.readable() && info.kernel(n).isEmpty()) {
                throw new IllegalArgumentException("the module has no kernel '" + n + "'; it has " + kernelNames());
            }
            device().bind();
            long function;
            try {
                function = HipRuntime.moduleFunction(handle, n);
            } catch (HipException e) {
                if (e.code() != HipRuntime.HIP_ERROR_NOT_FOUND) {
                    throw e;
                }
                throw new IllegalArgumentException("the module has no kernel '" + n + "'" + (info.readable() ? "; it has "
                        + kernelNames() : ""), e);
            }
            return new HipKernel(this, n, function, info.kernel(n).orElse(null));
        });
    }

    @Override
    String describe() {
        return "module on " + device().id();
    }

    @Override
    void release() {
        try {
            device().bind();
            HipRuntime.moduleUnload(handle);
        } finally {
            if (image != null) {
                image.close();
            }
        }
    }

    @Override
    public String toString() {
        return "HipModule[" + device().id() + " " + (info.targets().isEmpty() ? "" : info.targets() + " ") + kernelNames() + "]";
    }
}
