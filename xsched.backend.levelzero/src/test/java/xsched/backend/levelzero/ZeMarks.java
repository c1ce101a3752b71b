package xsched.backend.levelzero;

import java.util.Optional;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.HwCommand;

/**
 * The conformance kit's marks on a Level Zero device: counters in device memory, a mark is one
 * work-item of the {@code mark} kernel ({@link TestKernels}: atomic increment and clock stamp).
 */
public final class ZeMarks implements Marks {
    private final ZeDevice device;
    private final ZeModule module;
    private final ZeKernel kernel;
    private final ZeBuffer counts;
    private final ZeBuffer order;
    private final ZeBuffer clock;
    private final int capacity;

    /** @param device the device @param capacity counters */
    public ZeMarks(ZeDevice device, int capacity) {
        this.device = device;
        this.capacity = capacity;
        module = device.module(TestKernels.spirv(), "");
        kernel = module.kernel("mark");
        counts = device.buffer(4L * capacity);
        order = device.buffer(4L * capacity);
        clock = device.buffer(4);
        device.write(counts, 0, new int[capacity]);
        device.write(order, 0, new int[capacity]);
        device.write(clock, 0, new int[1]);
    }

    @Override
    public HwCommand mark(int index) {
        return kernel.launch(1).arg(counts).arg(order).arg(clock).arg(index).build();
    }

    /** A launch the driver refuses when it is appended: an 8-byte value for the 4-byte index. */
    @Override
    public Optional<HwCommand> failing() {
        return Optional.of(kernel.launch(1).arg(counts).arg(order).arg(clock).arg(0L).build());
    }

    @Override
    public int[] counts() {
        return device.readInts(counts, 0, capacity);
    }

    @Override
    public int[] order() {
        return device.readInts(order, 0, capacity);
    }

    @Override
    public void close() {
        counts.close();
        order.close();
        clock.close();
        kernel.close();
        module.close();
    }
}
