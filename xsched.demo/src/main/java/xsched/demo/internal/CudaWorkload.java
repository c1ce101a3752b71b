package xsched.demo.internal;

import xsched.api.LaunchConfig;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.StockKernels;
import xsched.spi.hal.HwCommand;

/**
 * GPU kernels that spin on the GPU's clock: a foreground job is 4 small kernels of 250 µs every
 * 10 ms; the background launches kernels of 200 µs that fill every SM. On CUDA xsched preempts at
 * level 1, so the background queue keeps one kernel in flight (threshold 1): a foreground job
 * waits for at most the background kernel that is already running.
 */
final class CudaWorkload implements Workload, AutoCloseable {
    private static final long FOREGROUND_NANOS = 250_000;
    private static final long BACKGROUND_NANOS = 200_000;
    private final StockKernels kernels;

    CudaWorkload(CudaGpu gpu) {
        kernels = StockKernels.load(gpu);
    }

    @Override
    public String describe() {
        return "CUDA spin kernels: foreground job = 4 kernels × 250 µs (8 blocks) every 10 ms, background = 200 µs kernels filling every SM";
    }

    @Override
    public HwCommand foreground() {
        return kernels.spin(FOREGROUND_NANOS, 8, 128);
    }

    @Override
    public HwCommand background() {
        return kernels.saturatingSpin(BACKGROUND_NANOS);
    }

    @Override
    public int kernelsPerJob() {
        return 4;
    }

    @Override
    public long periodNanos() {
        return 10_000_000;
    }

    @Override
    public LaunchConfig backgroundLaunch() {
        return new LaunchConfig(1, 1);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
