package xsched.backend.levelzero;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import xsched.backend.levelzero.internal.ze.ZeModuleCalls;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;

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
    private final List<KernelArg> args;

    private KernelLaunch(ZeKernel kernel, int[] groupCounts, int[] groupSize, List<KernelArg> args) {
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
    List<KernelArg> args() {
        return args;
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
    void append(long list) {
        checkResources();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] values = new MemorySegment[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (args.get(i)) {
                    case KernelArg.Buffer b -> arena.allocateFrom(ValueLayout.JAVA_LONG, b.buffer().pointer());
                    case KernelArg.Scalar s -> arena.allocateFrom(ValueLayout.JAVA_BYTE, s.bytes());
                    case KernelArg.Local l -> MemorySegment.NULL;
                };
            }
            synchronized (kernel) {
                ZeModuleCalls.setGroupSize(kernel.handle(), groupSize[0], groupSize[1], groupSize[2]);
                for (int i = 0; i < values.length; i++) {
                    ZeModuleCalls.setArgument(kernel.handle(), i, args.get(i).size(), values[i]);
                }
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
        private final List<KernelArg> args = new ArrayList<>();

        Builder(ZeKernel kernel, int[] groupCounts) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
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
            return add(new KernelArg.Buffer(buffer));
        }

        /** @param v an {@code int} argument @return this */
        public Builder arg(int v) {
            return scalar("int", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
        }

        /** @param v a {@code long} argument @return this */
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

        /** @param v a {@code short} argument @return this */
        public Builder arg(short v) {
            return scalar("short", ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(v).array());
        }

        /** @param v a {@code char} ({@code uchar}) argument @return this */
        public Builder arg(byte v) {
            return scalar("char", new byte[] {v});
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
            return scalar("bytes", bytes.clone());
        }

        /** @param bytes a {@code __local} pointer argument: bytes of local memory per group @return this */
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
            args.add(arg);
            return this;
        }

        /**
         * @return the command
         * @throws IllegalArgumentException when arguments are missing
         * @throws IllegalStateException when the kernel was closed
         */
        public KernelLaunch build() {
            if (args.size() != kernel.argCount()) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "' takes " + kernel.argCount()
                        + " arguments, but " + args.size() + " were given " + args.stream().map(KernelArg::describe).toList());
            }
            kernel.ensureOpen();
            return new KernelLaunch(kernel, groupCounts.clone(), groupSize.clone(), List.copyOf(args));
        }
    }
}
