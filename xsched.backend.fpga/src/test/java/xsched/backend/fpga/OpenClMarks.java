package xsched.backend.fpga;

import java.util.Optional;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.HwCommand;

/** The conformance kit's marks on an OpenCL device: counters in device memory, a mark is a one-item kernel. */
public final class OpenClMarks implements Marks {
    private final OpenClDevice device;
    private final OpenClProgram program;
    private final OpenClKernel kernel;
    private final OpenClBuffer counts;
    private final OpenClBuffer order;
    private final OpenClBuffer clock;
    private final int capacity;

    /** @param device the device @param capacity counters */
    public OpenClMarks(OpenClDevice device, int capacity) {
        this.device = device;
        this.capacity = capacity;
        program = device.program(Devices.KERNELS, "");
        kernel = program.kernel("mark");
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

    /** A launch the runtime refuses: a work-group larger than the device allows. */
    @Override
    public Optional<HwCommand> failing() {
        long tooBig = device.maxWorkGroupSize() * 2;
        return Optional.of(kernel.launch(tooBig).workGroup(tooBig).arg(counts).arg(order).arg(clock).arg(0).build());
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
        program.close();
    }
}
