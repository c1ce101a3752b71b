package xsched.backend.fpga;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xsched.backend.fpga.internal.ffm.ProgramCalls;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/**
 * A kernel launch over an NDRange ({@code clEnqueueNDRangeKernel}) with its sizes and argument
 * values captured when it is built, checked against the kernel's parameters then. A launch the
 * runtime rejects (e.g. {@code CL_INVALID_WORK_GROUP_SIZE}) fails as a command; the queue carries on.
 */
public final class NDRangeLaunch extends OpenClCommand {
    private final OpenClKernel kernel;
    private final long[] global;
    private final long[] local;
    private final List<KernelArg> args;

    private NDRangeLaunch(OpenClKernel kernel, long[] global, long[] local, List<KernelArg> args) {
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
        for (KernelArg arg : args) {
            if (arg instanceof KernelArg.Buffer b) {
                b.buffer().ensureOpen();
            }
        }
    }

    @Override
    void enqueue(long queue) {
        checkResources();
        try (Arena arena = Arena.ofConfined()) {
            synchronized (kernel) {
                for (int i = 0; i < args.size(); i++) {
                    switch (args.get(i)) {
                        case KernelArg.Buffer b -> ProgramCalls.setArg(kernel.handle(), i, 8,
                                arena.allocateFrom(ValueLayout.JAVA_LONG, b.buffer().handle()));
                        case KernelArg.Scalar s -> ProgramCalls.setArg(kernel.handle(), i, s.bytes().length,
                                arena.allocateFrom(ValueLayout.JAVA_BYTE, s.bytes()));
                        case KernelArg.Local l -> ProgramCalls.setArg(kernel.handle(), i, l.bytes(), MemorySegment.NULL);
                    }
                }
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
        private final List<KernelArg> args = new ArrayList<>();

        Builder(OpenClKernel kernel, long[] global) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            this.global = dims(global, "global");
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
            return add(new KernelArg.Buffer(buffer));
        }

        /** @param v an {@code int}/{@code uint} argument @return this */
        public Builder arg(int v) {
            return scalar("int", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
        }

        /** @param v a {@code long}/{@code ulong} argument @return this */
        public Builder arg(long v) {
            return scalar("long", ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array());
        }

        /** @param v a {@code float} argument @return this */
        public Builder arg(float v) {
            return scalar("float", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putFloat(v).array());
        }

        /** @param v a {@code double} argument @return this */
        public Builder arg(double v) {
            return scalar("double", ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putDouble(v).array());
        }

        /** @param bytes a {@code __local} pointer argument: bytes of local memory per work-group @return this */
        public Builder localMemory(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("local memory needs at least one byte, not " + bytes);
            }
            return add(new KernelArg.Local(bytes));
        }

        private Builder scalar(String kind, byte[] bytes) {
            return add(new KernelArg.Scalar(kind, bytes));
        }

        private Builder add(KernelArg arg) {
            if (args.size() == kernel.argCount()) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' takes " + kernel.argCount()
                        + " arguments; a " + arg.describe() + " is one too many");
            }
            KernelArg.check(kernel, args.size(), arg);
            args.add(arg);
            return this;
        }

        /**
         * @return the command
         * @throws IllegalArgumentException when arguments are missing
         */
        public NDRangeLaunch build() {
            if (args.size() != kernel.argCount()) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' takes " + kernel.argCount()
                        + " arguments, but " + args.size() + " were given " + args.stream().map(KernelArg::describe).toList());
            }
            kernel.ensureOpen();
            return new NDRangeLaunch(kernel, global, local, List.copyOf(args));
        }
    }
}
