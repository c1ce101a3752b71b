package xsched.backend.cuda;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A kernel of a {@link CudaModule} ({@code CUfunction}). Builds {@link KernelLaunch} commands;
 * when the driver reports the kernel's parameter sizes ({@code cuFuncGetParamInfo}, CUDA 12.4+),
 * every launch's arguments are checked against them when the command is built; otherwise the
 * caller's argument types alone decide the sizes.
 */
public final class CudaKernel {
    private final CudaModule module;
    private final String name;
    private final long handle;
    private final int[] paramSizes;

    CudaKernel(CudaModule module, String name, long handle, int[] paramSizes) {
        this.module = module;
        this.name = name;
        this.handle = handle;
        this.paramSizes = paramSizes;
    }

    /** @return the kernel's name */
    public String name() {
        return name;
    }

    /** @return the module it belongs to */
    public CudaModule module() {
        return module;
    }

    /** @return the GPU it runs on */
    public CudaGpu gpu() {
        return module.gpu();
    }

    /** @return the {@code CUfunction} */
    public long handle() {
        return handle;
    }

    /** @return each parameter's size in bytes, empty when the driver cannot tell */
    public Optional<List<Integer>> parameterSizes() {
        return paramSizes == null ? Optional.empty() : Optional.of(Arrays.stream(paramSizes).boxed().toList());
    }

    int[] paramSizesOrNull() {
        return paramSizes;
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
        return name + "@" + module.gpu().id();
    }
}
