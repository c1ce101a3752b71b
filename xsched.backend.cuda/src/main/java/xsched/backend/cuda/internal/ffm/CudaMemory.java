package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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

    private static final int CU_MEMORYTYPE_HOST = 1;
    private static final int CU_MEMORYTYPE_DEVICE = 2;

    /** Bytes of a {@code CUDA_MEMCPY2D} (8-byte aligned), see {@link #describeCopy2D}. */
    public static final long COPY_2D_BYTES = 128;

    /**
     * Fills a {@code CUDA_MEMCPY2D} for {@link #memcpy2DAsync}: {@code height} rows of {@code width}
     * bytes from host memory (pinned, for an asynchronous copy) to device memory, each side with
     * its own pitch. The struct can be filled once and used for any number of copies.
     *
     * @param params   {@value #COPY_2D_BYTES} bytes of native memory, 8-byte aligned
     * @param srcHost  the first row in host memory
     * @param srcPitch bytes from one source row to the next
     * @param dst      the first row in device memory
     * @param dstPitch bytes from one destination row to the next
     * @param width    bytes per row
     * @param height   rows
     */
    public static void describeCopy2D(MemorySegment params, MemorySegment srcHost, long srcPitch, long dst, long dstPitch,
                                      long width, long height) {
        MemorySegment p = params.asSlice(0, COPY_2D_BYTES);
        p.fill((byte) 0);
        p.set(JAVA_INT, 16, CU_MEMORYTYPE_HOST);
        p.set(ADDRESS, 24, srcHost);
        p.set(JAVA_LONG, 48, srcPitch);
        p.set(JAVA_INT, 72, CU_MEMORYTYPE_DEVICE);
        p.set(JAVA_LONG, 88, dst);
        p.set(JAVA_LONG, 104, dstPitch);
        p.set(JAVA_LONG, 112, width);
        p.set(JAVA_LONG, 120, height);
    }

    /** @param params a struct {@link #describeCopy2D} filled @param stream {@code CUstream} */
    public static void memcpy2DAsync(MemorySegment params, long stream) {
        try {
            check((int) CudaNative.cuMemcpy2DAsync.invokeExact(params, stream), "cuMemcpy2DAsync_v2");
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
