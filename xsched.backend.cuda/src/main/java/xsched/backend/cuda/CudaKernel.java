package xsched.backend.cuda;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import xsched.backend.cuda.internal.ptx.EntryGuard;

/**
 * A kernel of a {@link CudaModule} ({@code CUfunction}). Builds {@link KernelLaunch} commands;
 * when the driver reports the kernel's parameter sizes ({@code cuFuncGetParamInfo}, CUDA 12.4+),
 * every launch's arguments are checked against them when the command is built; otherwise the
 * caller's argument types alone decide the sizes. A kernel of a preemptible module that the
 * guardian rewrote ({@link #guarded()}) takes two parameters more than its source declares; they
 * are appended when it is launched, and are not among {@link #parameterSizes()}.
 */
public final class CudaKernel {
    /** Guarded parameters appended at launch: the stop flag and the control block, two pointers. */
    private static final int GUARD_PARAMS = 2;
    /** Blocks one SM can hold at once on the GPUs xsched knows (sm_90: 32). */
    private static final int MAX_BLOCKS_PER_SM = 32;
    /** Stops one logical launch is sized for: its control block records that many rounds of interrupted blocks. */
    private static final int STOPS_PER_LAUNCH = 4;

    private final CudaModule module;
    private final String name;
    private final long handle;
    private final int[] paramSizes;
    private final EntryGuard guard;

    CudaKernel(CudaModule module, String name, long handle, int[] paramSizes, EntryGuard guard) {
        this.module = module;
        this.name = name;
        this.handle = handle;
        this.guard = guard;
        this.paramSizes = guard == null || guard.level() < 2 || paramSizes == null ? paramSizes : ownParams(name, paramSizes);
    }

    private static int[] ownParams(String name, int[] all) {
        if (all.length < GUARD_PARAMS || all[all.length - 1] != 8 || all[all.length - 2] != 8) {
            throw new IllegalStateException("guarded kernel '" + name + "' should end with two 8-byte parameters, the driver reports "
                    + Arrays.toString(all));
        }
        return Arrays.copyOf(all, all.length - GUARD_PARAMS);
    }

    /**
     * @return whether the guardian rewrote this kernel: its blocks take logical indices and leave
     *         when the queue's stop flag is set, so a queue can stop it between blocks
     */
    public boolean guarded() {
        return guard != null && guard.level() >= 2;
    }

    /** @return whether it can also be cut off inside its blocks, at loop back-edges (level 3) */
    public boolean interruptible() {
        return guard != null && guard.level() >= 3;
    }

    /**
     * @return why the kernel is not guarded (e.g. "uses a cluster barrier"), or why it is guarded
     *         between blocks only when it was declared block-idempotent; empty for a guarded kernel
     *         without such a reason and for a kernel of a module loaded as it is
     */
    public Optional<String> unguardedReason() {
        return switch (guard) {
            case EntryGuard.Refused r -> Optional.of(r.reason());
            case EntryGuard.Lv2 l -> Optional.ofNullable(l.whyNotLv3());
            case null, default -> Optional.empty();
        };
    }

    /** @return list entries of a guarded launch's control block: enough for a few stops of a full GPU */
    int controlCapacity() {
        return STOPS_PER_LAUNCH * MAX_BLOCKS_PER_SM * gpu().multiprocessors();
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

    /** @return each parameter's size in bytes (its own, for a guarded kernel), empty when the driver cannot tell */
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
