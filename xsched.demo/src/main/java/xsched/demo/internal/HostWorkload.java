package xsched.demo.internal;

import xsched.api.LaunchConfig;
import xsched.backend.host.HostKernels;
import xsched.spi.hal.HwCommand;

/**
 * Host XPU kernels: blocks of fused multiply-adds lasting 250 µs each. A foreground job is 4
 * kernels of 8 blocks (≈8 ms, every 40 ms); a background kernel has 8 blocks (≈2 ms).
 */
final class HostWorkload implements Workload {
    private static final long BLOCK_NANOS = 250_000;

    @Override
    public String describe() {
        return "host kernels: FMA blocks of 250 µs; foreground job = 4 kernels × 8 blocks every 40 ms, background kernel = 8 blocks";
    }

    @Override
    public HwCommand foreground() {
        return HostKernels.timedFma(new double[8], BLOCK_NANOS);
    }

    @Override
    public HwCommand background() {
        return HostKernels.timedFma(new double[8], BLOCK_NANOS);
    }

    @Override
    public int kernelsPerJob() {
        return 4;
    }

    @Override
    public long periodNanos() {
        return 40_000_000;
    }

    @Override
    public LaunchConfig backgroundLaunch() {
        return LaunchConfig.DEFAULT;
    }
}
