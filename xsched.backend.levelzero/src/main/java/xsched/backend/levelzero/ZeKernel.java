package xsched.backend.levelzero;

import java.util.Arrays;
import xsched.backend.levelzero.internal.ze.ZeModuleCalls;

/**
 * A kernel of a module ({@code ze_kernel_handle_t}). Launches are built with {@link
 * #launch(int...)}; their group counts, group size and argument values are captured then and
 * checked against the kernel (argument count, required group size) and the device's limits. Level
 * Zero keeps arguments and group size on the kernel object until the launch is appended, so several
 * queues launching one kernel do both together under the kernel's lock.
 */
public final class ZeKernel extends ZeResource {
    private final ZeModule module;
    private final String name;
    private final long kernel;
    private final int argCount;
    private final int[] requiredGroupSize;

    ZeKernel(ZeModule module, String name, long kernel, int argCount, int[] requiredGroupSize) {
        super(module.device());
        this.module = module;
        this.name = name;
        this.kernel = kernel;
        this.argCount = argCount;
        this.requiredGroupSize = requiredGroupSize[0] == 0 ? null : requiredGroupSize.clone();
    }

    /** @return the kernel's name */
    public String name() {
        return name;
    }

    /** @return the module it belongs to */
    public ZeModule module() {
        return module;
    }

    /** @return how many arguments it takes */
    public int argCount() {
        return argCount;
    }

    /** @return the group size the kernel requires ({@code reqd_work_group_size}), or null when it requires none */
    public int[] requiredGroupSize() {
        return requiredGroupSize == null ? null : requiredGroupSize.clone();
    }

    /**
     * Starts building a launch over a grid of groups.
     *
     * @param groupCounts groups per dimension (1–3 of them; missing dimensions are 1)
     * @return a builder: set the group size if the kernel does not require one, add the arguments in
     *         order, then build
     * @throws IllegalArgumentException for 0 or more than 3 dimensions or a count below 1 or above the device's limit
     */
    public KernelLaunch.Builder launch(int... groupCounts) {
        return new KernelLaunch.Builder(this, groupCounts);
    }

    long handle() {
        return kernel;
    }

    @Override
    String describe() {
        return "kernel '" + name + "' on " + device().id() + (requiredGroupSize == null ? "" : " " + Arrays.toString(requiredGroupSize));
    }

    @Override
    void release() {
        ZeModuleCalls.destroyKernel(kernel);
    }
}
