package xsched.backend.cuda;

import java.lang.foreign.MemorySegment;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.support.LaunchSpec;

/**
 * A kernel launch ({@code cuLaunchKernel}) with its grid, block, dynamic shared memory and
 * argument values captured when it is built. A launch the driver rejects (a block too large, too
 * much shared memory) fails as a command; the queue carries on. A guarded kernel ({@link
 * CudaKernel#guarded()}) is launched with the queue's stop flag and a fresh control block after
 * its own arguments.
 */
public final class KernelLaunch extends CudaCommand {
    private final LaunchSpec<CudaKernel, Dim3, KernelArgs> spec;

    private KernelLaunch(LaunchSpec<CudaKernel, Dim3, KernelArgs> spec) {
        super(spec.kernel().gpu());
        this.spec = spec;
        CudaKernel kernel = spec.kernel();
        KernelArgs args = spec.args();
        int[] sizes = kernel.paramSizesOrNull();
        if (sizes != null) {
            args.checkAgainst(kernel.name(), sizes);
        }
        for (DeviceBuffer buffer : args.buffers()) {
            if (!buffer.gpu().sharesContextWith(kernel.gpu())) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' runs on " + kernel.gpu().id()
                        + " but an argument is a buffer " + (buffer.gpu().ordinal() == kernel.gpu().ordinal()
                        ? "of another primary context of " : "on ") + buffer.gpu().id());
            }
        }
    }

    /** @return the kernel */
    public CudaKernel kernel() {
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

    /** @return whether the kernel is guarded: a stopped queue stops it between blocks, and a relaunch runs only the blocks not started */
    @Override
    public boolean deactivatable() {
        return kernel().guarded();
    }

    /** @return whether the kernel also has interrupt points: a level-3 stop cuts its blocks off inside, to be redone */
    @Override
    public boolean idempotent() {
        return kernel().interruptible();
    }

    @Override
    public String describe() {
        return spec.describe(kernel().name());
    }

    @Override
    void checkResources() {
        kernel().module().ensureOpen();
        for (DeviceBuffer buffer : args().buffers()) {
            buffer.ensureOpen();
        }
    }

    @Override
    void enqueue(long stream, LaunchScratch scratch) {
        checkResources();
        if (!kernel().guarded()) {
            launchWith(stream, scratch.params(args()));
            return;
        }
        launchWith(stream, scratch.guardedParams(args(), stream, kernel().controlCapacity()));
    }

    /** Launches a guarded kernel again over the control block it used: only its unclaimed logical blocks run. */
    void relaunch(long stream, LaunchScratch scratch, long controlBlock) {
        checkResources();
        launchWith(stream, scratch.relaunchParams(args(), controlBlock));
    }

    private void launchWith(long stream, MemorySegment params) {
        Dim3 grid = spec.grid();
        Dim3 block = spec.block();
        CudaDriver.launchKernel(kernel().handle(), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                sharedMemBytes(), stream, params);
    }

    /** Builds one launch; argument values are copied as they are added. */
    public static final class Builder {
        private final LaunchSpec.Builder<CudaKernel, Dim3, KernelArgs> launch;
        private final KernelArgs.Builder args = KernelArgs.builder();

        Builder(CudaKernel kernel, Dim3 grid, Dim3 block) {
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
        public Builder arg(DeviceBuffer buffer) {
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
         * @throws IllegalArgumentException when the arguments do not match the kernel's parameters
         */
        public KernelLaunch build() {
            return new KernelLaunch(launch.build(args::build));
        }
    }
}
