package xsched.backend.hip;

import xsched.backend.hip.internal.codeobject.KernelSignature;
import xsched.backend.support.LaunchSpec;

/**
 * A kernel launch ({@code hipModuleLaunchKernel}) with its grid, block, dynamic shared memory and
 * argument values captured when it is built, and checked then: against the device's limits (threads
 * per block, block and grid extents, fewer than 2³² threads per dimension) and, where the module's
 * metadata describes the kernel, against its parameters and its own block-size limit. A launch the
 * runtime still rejects fails as a command; the queue carries on.
 */
public final class KernelLaunch extends HipCommand {
    private static final long THREADS_PER_DIMENSION = 1L << 32;

    private final LaunchSpec<HipKernel, Dim3, KernelArgs> spec;

    private KernelLaunch(LaunchSpec<HipKernel, Dim3, KernelArgs> spec) {
        super(spec.kernel().device());
        check(spec.kernel(), spec.grid(), spec.block(), spec.args());
        this.spec = spec;
    }

    private static void check(HipKernel kernel, Dim3 grid, Dim3 block, KernelArgs args) {
        HipDevice device = kernel.device();
        String what = "kernel '" + kernel.name() + "' on " + device.id();
        if (block.volume() > device.maxThreadsPerBlock()) {
            throw new IllegalArgumentException(what + ": a block of " + block + " has " + block.volume()
                    + " threads; the device allows at most " + device.maxThreadsPerBlock());
        }
        for (int i = 0; i < 3; i++) {
            char axis = "xyz".charAt(i);
            if (block.get(i) > device.maxBlock().get(i)) {
                throw new IllegalArgumentException(what + ": the block is " + block.get(i) + " threads in " + axis
                        + "; the device allows at most " + device.maxBlock().get(i));
            }
            if (grid.get(i) > device.maxGrid().get(i)) {
                throw new IllegalArgumentException(what + ": the grid is " + grid.get(i) + " blocks in " + axis
                        + "; the device allows at most " + device.maxGrid().get(i));
            }
            if ((long) grid.get(i) * block.get(i) >= THREADS_PER_DIMENSION) {
                throw new IllegalArgumentException(what + ": grid " + grid + " × block " + block + " has "
                        + (long) grid.get(i) * block.get(i) + " threads in " + axis + "; HIP launches fewer than 2^32 per dimension");
            }
        }
        KernelSignature signature = kernel.signatureOrNull();
        if (signature != null) {
            if (signature.maxFlatWorkgroupSize() > 0 && block.volume() > signature.maxFlatWorkgroupSize()) {
                throw new IllegalArgumentException(what + ": a block of " + block.volume() + " threads exceeds the kernel's "
                        + "limit of " + signature.maxFlatWorkgroupSize() + " (its launch bounds)");
            }
            args.checkAgainst(kernel.name(), signature.sizes(),
                    signature.params().stream().map(KernelSignature.Param::describe).toList());
        }
        for (HipBuffer buffer : args.buffers()) {
            if (!buffer.device().sameDevice(device)) {
                throw new IllegalArgumentException(what + ": an argument is a buffer on " + buffer.device().id());
            }
        }
    }

    /** @return the kernel */
    public HipKernel kernel() {
        return spec.kernel();
    }

    /** @return the grid */
    public Dim3 grid() {
        return spec.grid();
    }

    /** @return the block */
    public Dim3 block() {
        return spec.block();
    }

    /** @return dynamic shared memory per block, in bytes */
    public int sharedMemBytes() {
        return spec.sharedMemBytes();
    }

    /** @return the captured arguments */
    public KernelArgs args() {
        return spec.args();
    }

    @Override
    public String describe() {
        return spec.describe(kernel().name());
    }

    @Override
    void checkResources() {
        kernel().module().ensureOpen();
        for (HipBuffer buffer : args().buffers()) {
            buffer.ensureOpen();
        }
    }

    /** Builds one launch; argument values are copied as they are added. */
    public static final class Builder {
        private final LaunchSpec.Builder<HipKernel, Dim3, KernelArgs> launch;
        private final KernelArgs.Builder args = KernelArgs.builder();

        Builder(HipKernel kernel, Dim3 grid, Dim3 block) {
            launch = new LaunchSpec.Builder<>(kernel, grid, block);
        }

        /** @param bytes dynamic shared memory per block @return this */
        public Builder sharedMemory(int bytes) {
            launch.sharedMemory(bytes);
            return this;
        }

        /** @param v an int parameter @return this */
        public Builder arg(int v) {
            args.arg(v);
            return this;
        }

        /** @param v a long parameter @return this */
        public Builder arg(long v) {
            args.arg(v);
            return this;
        }

        /** @param v a float parameter @return this */
        public Builder arg(float v) {
            args.arg(v);
            return this;
        }

        /** @param v a double parameter @return this */
        public Builder arg(double v) {
            args.arg(v);
            return this;
        }

        /** @param buffer a pointer parameter @return this */
        public Builder arg(HipBuffer buffer) {
            args.arg(buffer);
            return this;
        }

        /** @param all every argument, replacing any added one by one @return this */
        public Builder args(KernelArgs all) {
            launch.args(all);
            return this;
        }

        /**
         * @return the command
         * @throws IllegalArgumentException when the geometry or the arguments do not fit the device or the kernel
         */
        public KernelLaunch build() {
            return new KernelLaunch(launch.build(args::build));
        }
    }
}
