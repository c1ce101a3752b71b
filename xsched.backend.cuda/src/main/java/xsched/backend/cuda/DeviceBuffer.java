package xsched.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import xsched.backend.cuda.internal.ffm.CudaMemory;

/**
 * Device memory ({@code cuMemAlloc}). Kernel arguments and copies refer to it by address; it must
 * stay allocated until the commands that use it have completed. The synchronous
 * {@code upload}/{@code download} helpers are for setting up and checking data outside any queue:
 * they do not wait for XQueue work, so await the queue first.
 */
public final class DeviceBuffer extends GpuResource {
    private final long address;
    private final long bytes;

    DeviceBuffer(CudaGpu gpu, long address, long bytes) {
        super(gpu, "was freed");
        this.address = address;
        this.bytes = bytes;
    }

    /** @return the {@code CUdeviceptr} */
    public long address() {
        return address;
    }

    /** @return the size in bytes */
    public long bytes() {
        return bytes;
    }

    /** @param src values copied to the start of the buffer, synchronously */
    public void upload(float[] src) {
        upload(MemorySegment.ofArray(Objects.requireNonNull(src, "src")));
    }

    /** @param src values copied to the start of the buffer, synchronously */
    public void upload(int[] src) {
        upload(MemorySegment.ofArray(Objects.requireNonNull(src, "src")));
    }

    /** @param src bytes copied to the start of the buffer, synchronously; any segment, heap or native */
    public void upload(MemorySegment src) {
        long n = src.byteSize();
        checkFits(n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = src.isNative() ? src : arena.allocate(n, 16).copyFrom(src);
            gpu.bind();
            CudaMemory.memcpyHtoD(address, staging, n);
        }
    }

    /** @param dst filled from the start of the buffer, synchronously */
    public void download(float[] dst) {
        download(MemorySegment.ofArray(Objects.requireNonNull(dst, "dst")));
    }

    /** @param dst filled from the start of the buffer, synchronously */
    public void download(int[] dst) {
        download(MemorySegment.ofArray(Objects.requireNonNull(dst, "dst")));
    }

    /** @param dst filled from the start of the buffer, synchronously; any segment, heap or native */
    public void download(MemorySegment dst) {
        long n = dst.byteSize();
        checkFits(n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = dst.isNative() ? dst : arena.allocate(n, 16);
            gpu.bind();
            CudaMemory.memcpyDtoH(staging, address, n);
            if (staging != dst) {
                MemorySegment.copy(staging, ValueLayout.JAVA_BYTE, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
            }
        }
    }

    private void checkFits(long n) {
        ensureOpen();
        if (n > bytes) {
            throw new IllegalArgumentException(n + " bytes do not fit in this " + bytes + "-byte device buffer");
        }
    }

    @Override
    void release() {
        CudaMemory.memFree(address);
    }

    @Override
    public String toString() {
        return "DeviceBuffer[" + gpu.id() + " 0x" + Long.toHexString(address) + ", " + bytes + " B]";
    }
}
