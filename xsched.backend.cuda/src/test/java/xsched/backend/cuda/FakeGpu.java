package xsched.backend.cuda;

import xsched.backend.cuda.internal.ptx.EntryGuard;

/** GPU-side objects with made-up handles, for tests that never reach the driver. */
public final class FakeGpu {
    private FakeGpu() {
    }

    public static CudaGpu gpu(int ordinal) {
        return new CudaGpu(ordinal, ordinal, 0, "Fake GPU " + ordinal, 9, 0, 132, 80L << 30, HostWait.AUTO);
    }

    public static DeviceBuffer buffer(CudaGpu gpu, long address, long bytes) {
        return new DeviceBuffer(gpu, address, bytes);
    }

    public static CudaKernel kernel(CudaGpu gpu, String name, int... paramSizes) {
        return new CudaKernel(new CudaModule(gpu, 0x100, "fake"), name, 0x200, paramSizes, null);
    }

    /** @param guard what the PTX guardian did to the kernel @param driverSizes the sizes the driver reports, appended parameters included */
    public static CudaKernel guardedKernel(CudaGpu gpu, String name, EntryGuard guard, int... driverSizes) {
        return new CudaKernel(new CudaModule(gpu, 0x100, "fake"), name, 0x200, driverSizes, guard);
    }

    public static CudaEvent event(CudaGpu gpu) {
        return new CudaEvent(gpu, 0x300);
    }
}
