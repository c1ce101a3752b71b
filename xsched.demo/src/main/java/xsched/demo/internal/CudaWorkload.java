package xsched.demo.internal;

import xsched.api.LaunchConfig;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.StockKernels;
import xsched.spi.hal.HwCommand;

/**
 * GPU kernels that spin on the GPU's clock, each filling every SM: a foreground job is 16 short
 * kernels of 25 µs every 10 ms; the background launches kernels of 100 µs back to back. Shared
 * natively, each foreground kernel waits for the SMs until a background kernel ends, so the job
 * takes about twice as long. With xsched the background queue keeps one kernel in flight
 * (threshold 1) and, at level 2, a gate in front of each: a foreground job waits once, for at most
 * the background kernel already running.
 */
final class CudaWorkload implements Workload, AutoCloseable {
    private static final long FOREGROUND_NANOS = 25_000;
    private static final long BACKGROUND_NANOS = 100_000;
    private final StockKernels kernels;

    CudaWorkload(CudaGpu gpu) {
        kernels = StockKernels.load(gpu);
    }

    @Override
    public String describe() {
        return "CUDA spin kernels filling every SM: foreground job = 16 kernels × 25 µs every 10 ms, background = 100 µs kernels";
    }

    @Override
    public HwCommand foreground() {
        return kernels.saturatingSpin(FOREGROUND_NANOS);
    }

    @Override
    public HwCommand background() {
        return kernels.saturatingSpin(BACKGROUND_NANOS);
    }

    @Override
    public int kernelsPerJob() {
        return 16;
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
