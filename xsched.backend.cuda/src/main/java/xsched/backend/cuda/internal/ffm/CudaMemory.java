package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.cuda.internal.ffm.CudaDriver.check;
import static xsched.backend.cuda.internal.ffm.CudaDriver.error;
import static xsched.backend.cuda.internal.ffm.CudaDriver.rethrow;
import static xsched.backend.cuda.internal.ffm.CudaNative.CUDA_SUCCESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory half of the driver facade: device and page-locked host allocations, copies and
 * memsets. Like {@link CudaDriver}, every call checks its result and expects the caller to have
 * made the right context current.
 */
public final class CudaMemory {
    private CudaMemory() {
    }

    /** @param bytes size @return a {@code CUdeviceptr} */
    public static long memAlloc(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            int rc = (int) CudaNative.cuMemAlloc.invokeExact(out, bytes);
            if (rc != CUDA_SUCCESS) {
                throw error(rc, "cuMemAlloc_v2", bytes + " bytes");
            }
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param pointer a {@code CUdeviceptr} from {@link #memAlloc(long)} */
    public static void memFree(long pointer) {
        try {
            check((int) CudaNative.cuMemFree.invokeExact(pointer), "cuMemFree_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param bytes size @return page-locked host memory of that size */
    public static MemorySegment memAllocHost(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int rc = (int) CudaNative.cuMemAllocHost.invokeExact(out, bytes);
            if (rc != CUDA_SUCCESS) {
                throw error(rc, "cuMemAllocHost_v2", bytes + " bytes");
            }
            return out.get(ADDRESS, 0).reinterpret(bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param host memory from {@link #memAllocHost(long)} */
    public static void memFreeHost(MemorySegment host) {
        try {
            check((int) CudaNative.cuMemFreeHost.invokeExact(host), "cuMemFreeHost");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Synchronous host-to-device copy. @param dst device pointer @param src native host memory @param bytes count */
    public static void memcpyHtoD(long dst, MemorySegment src, long bytes) {
        try {
            check((int) CudaNative.cuMemcpyHtoD.invokeExact(dst, src, bytes), "cuMemcpyHtoD_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Synchronous device-to-host copy. @param dst native host memory @param src device pointer @param bytes count */
    public static void memcpyDtoH(MemorySegment dst, long src, long bytes) {
        try {
            check((int) CudaNative.cuMemcpyDtoH.invokeExact(dst, src, bytes), "cuMemcpyDtoH_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param dst device pointer @param src native host memory @param bytes count @param stream {@code CUstream} */
    public static void memcpyHtoDAsync(long dst, MemorySegment src, long bytes, long stream) {
        try {
            check((int) CudaNative.cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param dst native host memory @param src device pointer @param bytes count @param stream {@code CUstream} */
    public static void memcpyDtoHAsync(MemorySegment dst, long src, long bytes, long stream) {
        try {
            check((int) CudaNative.cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param dst device pointer @param src device pointer @param bytes count @param stream {@code CUstream} */
    public static void memcpyDtoDAsync(long dst, long src, long bytes, long stream) {
        try {
            check((int) CudaNative.cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoDAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param dst device pointer @param value byte @param count bytes @param stream {@code CUstream} */
    public static void memsetD8Async(long dst, byte value, long count, long stream) {
        try {
            check((int) CudaNative.cuMemsetD8Async.invokeExact(dst, value, count, stream), "cuMemsetD8Async");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param dst 4-byte aligned device pointer @param value word @param count words @param stream {@code CUstream} */
    public static void memsetD32Async(long dst, int value, long count, long stream) {
        try {
            check((int) CudaNative.cuMemsetD32Async.invokeExact(dst, value, count, stream), "cuMemsetD32Async");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
