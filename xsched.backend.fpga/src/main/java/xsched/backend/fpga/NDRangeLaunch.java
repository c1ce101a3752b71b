package xsched.backend.fpga;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xsched.backend.fpga.internal.ffm.ProgramCalls;
import xsched.backend.fpga.internal.ffm.QueueCalls;
import xsched.backend.support.ArgumentList;
import xsched.backend.support.KernelArgument;

/**
 * A kernel launch over an NDRange ({@code clEnqueueNDRangeKernel}) with its sizes and argument
 * values captured when it is built, checked against the kernel's parameters then. A launch the
 * runtime rejects (e.g. {@code CL_INVALID_WORK_GROUP_SIZE}) fails as a command; the queue carries on.
 */
public final class NDRangeLaunch extends OpenClCommand {
    private final OpenClKernel kernel;
    private final long[] global;
    private final long[] local;
    private final List<KernelArgument<OpenClBuffer>> args;

    private NDRangeLaunch(OpenClKernel kernel, long[] global, long[] local, List<KernelArgument<OpenClBuffer>> args) {
        super(kernel.device());
        this.kernel = kernel;
        this.global = global;
        this.local = local;
        this.args = args;
    }

    /** @return the kernel */
    public OpenClKernel kernel() {
        return kernel;
    }

    /** @return the global work sizes */
    public long[] globalSize() {
        return global.clone();
    }

    @Override
    void checkResources() {
        kernel.ensureOpen();
        for (KernelArgument<OpenClBuffer> arg : args) {
            if (arg instanceof KernelArgument.Buffer<OpenClBuffer>(OpenClBuffer buffer)) {
                buffer.ensureOpen();
            }
        }
    }

    @Override
    void enqueue(long queue) {
        checkResources();
        try (Arena arena = Arena.ofConfined()) {
            synchronized (kernel) {
                KernelArgument.setAll(args, OpenClBuffer::handle, arena,
                        (index, size, value) -> ProgramCalls.setArg(kernel.handle(), index, size, value));
                QueueCalls.ndRange(queue, kernel.handle(), global, local);
            }
        }
    }

    @Override
    public String describe() {
        return kernel.name() + Arrays.toString(global) + (local == null ? "" : "/" + Arrays.toString(local));
    }

    /** Builds one launch: arguments in parameter order, each value copied as it is added. */
    public static final class Builder {
        private final OpenClKernel kernel;
        private final long[] global;
        private long[] local;
        private final ArgumentList<OpenClBuffer> args;

        Builder(OpenClKernel kernel, long[] global) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            this.global = dims(global, "global");
            this.args = new ArgumentList<>(kernel.name(), kernel.argCount(), (index, arg) -> ParameterCheck.check(kernel, index, arg));
        }

        private static long[] dims(long[] sizes, String what) {
            Objects.requireNonNull(sizes, what);
            if (sizes.length < 1 || sizes.length > 3) {
                throw new IllegalArgumentException("an NDRange has 1 to 3 dimensions, not " + sizes.length + " " + what + " sizes");
            }
            for (long s : sizes) {
                if (s < 1) {
                    throw new IllegalArgumentException(what + " sizes must be at least 1: " + Arrays.toString(sizes));
                }
            }
            return sizes.clone();
        }

        /** @param localSize work-group sizes, one per dimension of the global size @return this */
        public Builder workGroup(long... localSize) {
            long[] l = dims(localSize, "work-group");
            if (l.length != global.length) {
                throw new IllegalArgumentException("the work-group size has " + l.length + " dimensions but the NDRange has " + global.length);
            }
            local = l;
            return this;
        }

        /** @param buffer a {@code __global} or {@code __constant} pointer argument @return this */
        public Builder arg(OpenClBuffer buffer) {
            Objects.requireNonNull(buffer, "buffer");
            if (buffer.device() != kernel.device()) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' runs on " + kernel.device().id()
                        + " but argument " + args.size() + " is a buffer on " + buffer.device().id());
            }
            args.buffer(buffer);
            return this;
        }

        /** @param v an {@code int}/{@code uint} argument @return this */
        public Builder arg(int v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code long}/{@code ulong} argument @return this */
        public Builder arg(long v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code float} argument @return this */
        public Builder arg(float v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code double} argument @return this */
        public Builder arg(double v) {
            args.value(v);
            return this;
        }

        /** @param bytes a {@code __local} pointer argument: bytes of local memory per work-group @return this */
        public Builder localMemory(int bytes) {
            args.local(bytes);
            return this;
        }

        /**
         * @return the command
         * @throws IllegalArgumentException when arguments are missing
         */
        public NDRangeLaunch build() {
            List<KernelArgument<OpenClBuffer>> all = args.complete();
            kernel.ensureOpen();
            return new NDRangeLaunch(kernel, global, local, all);
        }
    }
}
