package xsched.backend.levelzero;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xsched.backend.levelzero.internal.ze.ZeModuleCalls;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;
import xsched.backend.support.ArgumentList;
import xsched.backend.support.KernelArgument;

/**
 * A kernel launch over a grid of groups ({@code zeCommandListAppendLaunchKernel}) with its group
 * counts, group size and argument values captured when it is built, and checked then against the
 * kernel's argument count and required group size and the device's group limits. Level Zero does
 * not describe argument types, so a scalar of the wrong size is refused by the driver when the
 * launch is appended; the launch fails as a command and the queue carries on.
 */
public final class KernelLaunch extends ZeCommand {
    private final ZeKernel kernel;
    private final int[] groupCounts;
    private final int[] groupSize;
    private final List<KernelArgument<ZeBuffer>> args;

    private KernelLaunch(ZeKernel kernel, int[] groupCounts, int[] groupSize, List<KernelArgument<ZeBuffer>> args) {
        super(kernel.device());
        this.kernel = kernel;
        this.groupCounts = groupCounts;
        this.groupSize = groupSize;
        this.args = args;
    }

    /** @return the kernel */
    public ZeKernel kernel() {
        return kernel;
    }

    /** @return the groups per dimension (x, y, z) */
    public int[] groupCounts() {
        return groupCounts.clone();
    }

    /** @return the work-items per group and dimension (x, y, z) */
    public int[] groupSize() {
        return groupSize.clone();
    }

    /** @return how many arguments were captured */
    public int argCount() {
        return args.size();
    }

    /** @return the captured arguments, in order */
    List<KernelArgument<ZeBuffer>> args() {
        return args;
    }

    @Override
    void checkResources() {
        kernel.ensureOpen();
        for (KernelArgument<ZeBuffer> arg : args) {
            if (arg instanceof KernelArgument.Buffer<ZeBuffer>(ZeBuffer buffer)) {
                buffer.ensureOpen();
            }
        }
    }

    @Override
    void append(long list) {
        checkResources();
        try (Arena arena = Arena.ofConfined()) {
            synchronized (kernel) {
                ZeModuleCalls.setGroupSize(kernel.handle(), groupSize[0], groupSize[1], groupSize[2]);
                KernelArgument.setAll(args, ZeBuffer::pointer, arena,
                        (index, size, value) -> ZeModuleCalls.setArgument(kernel.handle(), index, size, value));
                ZeQueueCalls.appendLaunch(list, kernel.handle(), groupCounts[0], groupCounts[1], groupCounts[2]);
            }
        }
    }

    @Override
    public String describe() {
        return kernel.name() + Arrays.toString(groupCounts) + "x" + Arrays.toString(groupSize);
    }

    /** Builds one launch: arguments in parameter order, each value copied as it is added. */
    public static final class Builder {
        private final ZeKernel kernel;
        private final int[] groupCounts;
        private int[] groupSize;
        private final ArgumentList<ZeBuffer> args;

        Builder(ZeKernel kernel, int[] groupCounts) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            this.args = new ArgumentList<>(kernel.name(), kernel.argCount());
            this.groupCounts = dims(groupCounts, "group count");
            int[] limit = kernel.device().limits().maxGroupCount();
            for (int d = 0; d < 3; d++) {
                if (limit[d] > 0 && Integer.compareUnsigned(this.groupCounts[d], limit[d]) > 0) {
                    throw new IllegalArgumentException("kernel '" + kernel.name() + "': " + this.groupCounts[d] + " groups in dimension "
                            + "xyz".charAt(d) + " exceed the " + limit[d] + " " + kernel.device().id() + " allows");
                }
            }
            int[] required = kernel.requiredGroupSize();
            this.groupSize = required != null ? required : new int[] {1, 1, 1};
        }

        private static int[] dims(int[] sizes, String what) {
            Objects.requireNonNull(sizes, what);
            if (sizes.length < 1 || sizes.length > 3) {
                throw new IllegalArgumentException("a launch has 1 to 3 dimensions, not " + sizes.length + " " + what + "s");
            }
            int[] xyz = {1, 1, 1};
            for (int d = 0; d < sizes.length; d++) {
                if (sizes[d] < 1) {
                    throw new IllegalArgumentException(what + "s must be at least 1: " + Arrays.toString(sizes));
                }
                xyz[d] = sizes[d];
            }
            return xyz;
        }

        /**
         * @param size work-items per group and dimension (1–3 of them; missing dimensions are 1)
         * @return this
         * @throws IllegalArgumentException when the kernel requires another size or the device allows less
         */
        public Builder groupSize(int... size) {
            int[] xyz = dims(size, "group size");
            int[] required = kernel.requiredGroupSize();
            if (required != null && !Arrays.equals(required, xyz)) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' requires group size " + Arrays.toString(required)
                        + ", not " + Arrays.toString(xyz));
            }
            ZeDevice.Limits limits = kernel.device().limits();
            long total = (long) xyz[0] * xyz[1] * xyz[2];
            if (limits.maxTotalGroupSize() > 0 && total > limits.maxTotalGroupSize()) {
                throw new IllegalArgumentException("group size " + Arrays.toString(xyz) + " has " + total + " work-items; "
                        + kernel.device().id() + " allows " + limits.maxTotalGroupSize() + " per group");
            }
            for (int d = 0; d < 3; d++) {
                if (limits.maxGroupSize()[d] > 0 && xyz[d] > limits.maxGroupSize()[d]) {
                    throw new IllegalArgumentException("group size " + Arrays.toString(xyz) + " exceeds " + limits.maxGroupSize()[d]
                            + " in dimension " + "xyz".charAt(d) + " on " + kernel.device().id());
                }
            }
            groupSize = xyz;
            return this;
        }

        /** @param buffer a pointer argument: the buffer's address @return this */
        public Builder arg(ZeBuffer buffer) {
            Objects.requireNonNull(buffer, "buffer");
            if (buffer.device() != kernel.device()) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' runs on " + kernel.device().id()
                        + " but the buffer is on " + buffer.device().id());
            }
            buffer.ensureOpen();
            args.buffer(buffer);
            return this;
        }

        /** @param v an {@code int} argument @return this */
        public Builder arg(int v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code long} argument @return this */
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

        /** @param v a {@code short} argument @return this */
        public Builder arg(short v) {
            args.value(v);
            return this;
        }

        /** @param v a {@code char} ({@code uchar}) argument @return this */
        public Builder arg(byte v) {
            args.scalar("char", new byte[] {v});
            return this;
        }

        /**
         * @param bytes the raw bytes of a by-value argument (a struct or vector), copied now, native order
         * @return this
         */
        public Builder argBytes(byte[] bytes) {
            Objects.requireNonNull(bytes, "bytes");
            if (bytes.length == 0) {
                throw new IllegalArgumentException("a by-value argument has at least one byte");
            }
            args.scalar("bytes", bytes.clone());
            return this;
        }

        /** @param bytes a {@code __local} pointer argument: bytes of local memory per group @return this */
        public Builder localMemory(int bytes) {
            args.local(bytes);
            return this;
        }

        /**
         * @return the command
         * @throws IllegalArgumentException when arguments are missing
         * @throws IllegalStateException when the kernel was closed
         */
        public KernelLaunch build() {
            List<KernelArgument<ZeBuffer>> all = args.complete();
            kernel.ensureOpen();
            return new KernelLaunch(kernel, groupCounts.clone(), groupSize.clone(), all);
        }
    }
}
