package xsched.backend.levelzero;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices, buffers and kernels without native objects (context 0), for tests of command building
 * and queue bookkeeping that need no driver. Closing them touches no native code.
 */
public final class FakeDevices {
    private static final AtomicLong NEXT = new AtomicLong(0x10_0000);

    private FakeDevices() {
    }

    /** @return a GPU {@code id} that allows 256 work-items per group and 65535 groups per dimension */
    public static ZeDevice gpu(String id) {
        return device(id, ZeDeviceType.GPU);
    }

    /** @return a VPU {@code id} with the same limits */
    public static ZeDevice vpu(String id) {
        return device(id, ZeDeviceType.VPU);
    }

    private static ZeDevice device(String id, ZeDeviceType type) {
        return new ZeDevice(id, type, "fake " + type, 0, 0, 0, 0,
                new ZeDevice.Limits(256, new int[] {256, 256, 64}, new int[] {65535, 65535, 65535}), "00");
    }

    /** @return a buffer of {@code bytes} on {@code device} at a made-up address */
    public static ZeBuffer buffer(ZeDevice device, ZeBuffer.Kind kind, long bytes) {
        return new ZeBuffer(device, kind, NEXT.getAndAdd(bytes + 4096), bytes);
    }

    /** @return a kernel {@code name} taking {@code args} arguments, requiring {@code requiredGroupSize} when given (x, y, z) */
    public static ZeKernel kernel(ZeDevice device, String name, int args, int... requiredGroupSize) {
        ZeModule module = new ZeModule(device, NEXT.getAndIncrement(), "", List.of(name));
        return new ZeKernel(module, name, NEXT.getAndIncrement(), args, requiredGroupSize.length == 3 ? requiredGroupSize : new int[3]);
    }
}
