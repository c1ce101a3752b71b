package xsched.backend.hip;

import xsched.backend.testkit.Marks;
import xsched.spi.hal.HwCommand;

/**
 * The conformance kit's marks on an AMD GPU: counters in device memory, a mark is a one-thread
 * launch of {@code mark} ({@code src/test/hip/kernels.hip}). No failing command: a launch that HIP
 * refuses at once on every GPU has not been found without hardware to try it on, so the kit skips
 * that check.
 */
public final class HipMarks implements Marks {
    private final HipDevice device;
    private final HipModule module;
    private final HipKernel kernel;
    private final HipBuffer counts;
    private final HipBuffer order;
    private final HipBuffer clock;
    private final int capacity;

    /** @param device the GPU @param capacity counters */
    public HipMarks(HipDevice device, int capacity) {
        this.device = device;
        this.capacity = capacity;
        module = Gpus.kernels(device);
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
        return kernel.launch(Dim3.of(1), Dim3.of(1), counts, order, clock, index);
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
        module.close();
    }
}
