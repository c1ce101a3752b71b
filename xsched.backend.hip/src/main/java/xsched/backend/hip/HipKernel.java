package xsched.backend.hip;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import xsched.backend.hip.internal.codeobject.KernelSignature;

/**
 * A kernel of a {@link HipModule} ({@code hipFunction_t}). Builds {@link KernelLaunch} commands;
 * when the module's metadata describes the kernel, every launch's arguments are checked against its
 * parameters, and its block size against the kernel's limit, when the command is built.
 */
public final class HipKernel {
    private final HipModule module;
    private final String name;
    private final long handle;
    private final KernelSignature signature;

    HipKernel(HipModule module, String name, long handle, KernelSignature signature) {
        this.module = module;
        this.name = name;
        this.handle = handle;
        this.signature = signature;
    }

    /** @return the kernel's name */
    public String name() {
        return name;
    }

    /** @return the module it belongs to */
    public HipModule module() {
        return module;
    }

    /** @return the device it runs on */
    public HipDevice device() {
        return module.device();
    }

    /** @return the {@code hipFunction_t} */
    public long handle() {
        return handle;
    }

    /** @return each parameter's size in bytes, empty when the module's metadata cannot be read */
    public Optional<List<Integer>> parameterSizes() {
        return signature == null ? Optional.empty() : Optional.of(Arrays.stream(signature.sizes()).boxed().toList());
    }

    /** @return the most threads per block the compiler allows this kernel, empty when unknown */
    public Optional<Integer> maxThreadsPerBlock() {
        return signature == null || signature.maxFlatWorkgroupSize() <= 0 ? Optional.empty()
                : Optional.of(signature.maxFlatWorkgroupSize());
    }

    KernelSignature signatureOrNull() {
        return signature;
    }

    /**
     * @param grid  blocks in the grid
     * @param block threads in a block
     * @return a builder for one launch
     */
    public KernelLaunch.Builder launch(Dim3 grid, Dim3 block) {
        return new KernelLaunch.Builder(this, grid, block);
    }

    /**
     * @param grid  blocks in the grid
     * @param block threads in a block
     * @param args  values as {@link KernelArgs#of(Object...)} takes them
     * @return a launch command with the values captured now
     */
    public KernelLaunch launch(Dim3 grid, Dim3 block, Object... args) {
        return launch(grid, block).args(KernelArgs.of(args)).build();
    }

    @Override
    public String toString() {
        return name + "@" + device().id();
    }
}
