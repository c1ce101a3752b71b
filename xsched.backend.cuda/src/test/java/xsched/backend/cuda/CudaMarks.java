package xsched.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.HwCommand;

/**
 * The conformance kit's marks on a CUDA GPU: counters in device memory, a mark is a one-thread
 * kernel ({@code conformance/marks.cu}, compiled to PTX with {@code nvcc -arch=sm_90 -ptx}),
 * loaded as it is or preemptible (rewritten by the PTX guardian, {@link CudaGpu#loadPreemptible}).
 */
final class CudaMarks implements Marks {
    private final CudaModule module;
    private final CudaKernel kernel;
    private final DeviceBuffer counts;
    private final DeviceBuffer order;
    private final DeviceBuffer clock;
    private final int capacity;

    CudaMarks(CudaGpu gpu, int capacity, boolean preemptible) {
        this.capacity = capacity;
        module = preemptible ? gpu.loadPreemptible(ptx(), Set.of()) : gpu.loadPtx(ptx());
        kernel = module.kernel("mark");
        if (preemptible && !kernel.guarded()) {
            module.close();
            throw new IllegalStateException("the guardian left 'mark' unguarded: " + kernel.unguardedReason().orElse("no reason given"));
        }
        counts = gpu.allocate(4L * capacity);
        order = gpu.allocate(4L * capacity);
        clock = gpu.allocate(4);
        counts.upload(new int[capacity]);
        order.upload(new int[capacity]);
        clock.upload(new int[1]);
    }

    /** @return the test kernels' PTX ({@code conformance/marks.cu}: mark, held_mark, count_blocks) */
    static String ptx() {
        try (InputStream in = CudaMarks.class.getResourceAsStream("conformance/marks.ptx")) {
            if (in == null) {
                throw new IllegalStateException("conformance/marks.ptx is missing from the test classes");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HwCommand mark(int index) {
        return kernel.launch(Dim3.of(1), Dim3.of(1)).arg(counts).arg(order).arg(clock).arg(index).build();
    }

    /**
     * @param index the counter
     * @param hold  a word of device memory: the kernel waits until it is nonzero, then marks
     * @return a mark that runs until the test lets it go (the fake device, or a GPU)
     */
    HwCommand heldMark(int index, DeviceBuffer hold) {
        return module.kernel("held_mark").launch(Dim3.of(1), Dim3.of(1)).arg(counts).arg(order).arg(clock).arg(index).arg(hold).build();
    }

    /** A launch the driver refuses: 2048 threads in a block, twice what a block may hold. */
    @Override
    public Optional<HwCommand> failing() {
        return Optional.of(kernel.launch(Dim3.of(1), Dim3.of(2048)).arg(counts).arg(order).arg(clock).arg(0).build());
    }

    @Override
    public int[] counts() {
        int[] v = new int[capacity];
        counts.download(v);
        return v;
    }

    @Override
    public int[] order() {
        int[] v = new int[capacity];
        order.download(v);
        return v;
    }

    @Override
    public void close() {
        counts.close();
        order.close();
        clock.close();
        module.close();
    }
}
