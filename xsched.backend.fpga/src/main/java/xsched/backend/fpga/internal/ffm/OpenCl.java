package xsched.backend.fpga.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import xsched.backend.fpga.OpenClException;
import xsched.backend.support.CheckedCalls;
import xsched.backend.support.VendorLibrary;

/**
 * The OpenCL API as xsched uses it: one static method per call, every status checked ({@link
 * #check(int, String)} throws an {@link OpenClException} naming the function and the {@code CL_…}
 * error), out-parameters and scratch in per-call confined arenas. Handles are {@code long}s.
 * OpenCL 1.2 entry points only, so FPGA runtimes that stop at 1.2 (Xilinx XRT, Intel FPGA SDK) work.
 */
public final class OpenCl {
    /** Status: success. */
    public static final int CL_SUCCESS = 0;
    /** Status: no device of the type asked for. */
    public static final int CL_DEVICE_NOT_FOUND = -1;
    /** Status: the program failed to build. */
    public static final int CL_BUILD_PROGRAM_FAILURE = -11;
    /** Status: a command of an event's wait list failed. */
    public static final int CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST = -14;
    /** Status: kernel argument info was not kept (a program from a binary, or without {@code -cl-kernel-arg-info}). */
    public static final int CL_KERNEL_ARG_INFO_NOT_AVAILABLE = -19;
    /** Status: no kernel of that name in the program. */
    public static final int CL_INVALID_KERNEL_NAME = -46;
    /** Status (ICD loader): no platform is registered. */
    public static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    /** cl_platform_info: version. */
    public static final int CL_PLATFORM_VERSION = 0x0901;
    /** cl_platform_info: name. */
    public static final int CL_PLATFORM_NAME = 0x0902;
    /** cl_device_info: type. */
    public static final int CL_DEVICE_TYPE = 0x1000;
    /** cl_device_info: max work-group size. */
    public static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    /** cl_device_info: name. */
    public static final int CL_DEVICE_NAME = 0x102B;
    /** cl_device_info: driver version. */
    public static final int CL_DRIVER_VERSION = 0x102D;
    /** cl_device_info: OpenCL version. */
    public static final int CL_DEVICE_VERSION = 0x102F;

    /** cl_device_type bits. */
    public static final long CL_DEVICE_TYPE_CPU = 1 << 1;
    /** cl_device_type bits. */
    public static final long CL_DEVICE_TYPE_GPU = 1 << 2;
    /** cl_device_type bits. */
    public static final long CL_DEVICE_TYPE_ACCELERATOR = 1 << 3;
    /** Every device type. */
    public static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    /** cl_mem_flags: read and write. */
    public static final long CL_MEM_READ_WRITE = 1;
    /** cl_program_build_info: the build log. */
    public static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    /** cl_kernel_info: number of arguments. */
    public static final int CL_KERNEL_NUM_ARGS = 0x1191;
    /** cl_kernel_arg_info: address qualifier. */
    public static final int CL_KERNEL_ARG_ADDRESS_QUALIFIER = 0x1196;
    /** cl_kernel_arg_info: type name. */
    public static final int CL_KERNEL_ARG_TYPE_NAME = 0x1198;
    /** Address qualifiers. */
    public static final int CL_KERNEL_ARG_ADDRESS_GLOBAL = 0x119B;
    /** Address qualifiers. */
    public static final int CL_KERNEL_ARG_ADDRESS_LOCAL = 0x119C;
    /** Address qualifiers. */
    public static final int CL_KERNEL_ARG_ADDRESS_CONSTANT = 0x119D;
    /** Address qualifiers. */
    public static final int CL_KERNEL_ARG_ADDRESS_PRIVATE = 0x119E;
    /** cl_event_info: execution status. */
    public static final int CL_EVENT_COMMAND_EXECUTION_STATUS = 0x11D3;
    /** Execution status: complete. */
    public static final int CL_COMPLETE = 0;

    /** Checks every status of the OpenCL calls. */
    static final CheckedCalls CALLS = new CheckedCalls("OpenCL", CL_SUCCESS, OpenCl::error);

    private OpenCl() {
    }

    /** @return the loader the handles were bound against */
    public static VendorLibrary library() {
        return OpenClNative.library();
    }

    /**
     * @param rc       an OpenCL status
     * @param function the function that returned it
     * @throws OpenClException unless it is {@code CL_SUCCESS}
     */
    public static void check(int rc, String function) {
        CALLS.check(rc, function);
    }

    /** @return the exception for a failed call */
    public static OpenClException error(int rc, String function, String detail) {
        return new OpenClException(function, rc, ClErrors.name(rc), detail);
    }

    /** @param rc a status @return its {@code CL_…} name */
    public static String errorName(int rc) {
        return ClErrors.name(rc);
    }

    static RuntimeException rethrow(Throwable t) {
        return CALLS.rethrow(t);
    }

    /** @return every platform; empty when the loader finds none */
    public static long[] platforms() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int rc = (int) OpenClNative.clGetPlatformIDs.invokeExact(0, MemorySegment.NULL, count);
            if (rc == CL_PLATFORM_NOT_FOUND_KHR || rc == CL_SUCCESS && count.get(JAVA_INT, 0) == 0) {
                return new long[0];
            }
            check(rc, "clGetPlatformIDs");
            int n = count.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(JAVA_LONG, n);
            check((int) OpenClNative.clGetPlatformIDs.invokeExact(n, ids, count), "clGetPlatformIDs");
            return ids.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a platform's string property */
    public static String platformInfo(long platform, int param) {
        return string(OpenClNative.clGetPlatformInfo, platform, param, "clGetPlatformInfo");
    }

    /** @return every device of the platform; empty when it has none */
    public static long[] devices(long platform) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int rc = (int) OpenClNative.clGetDeviceIDs.invokeExact(platform, CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
            if (rc == CL_DEVICE_NOT_FOUND) {
                return new long[0];
            }
            check(rc, "clGetDeviceIDs");
            int n = count.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(JAVA_LONG, Math.max(1, n));
            check((int) OpenClNative.clGetDeviceIDs.invokeExact(platform, CL_DEVICE_TYPE_ALL, n, ids, count), "clGetDeviceIDs");
            return ids.asSlice(0, 8L * n).toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a device's string property */
    public static String deviceInfo(long device, int param) {
        return string(OpenClNative.clGetDeviceInfo, device, param, "clGetDeviceInfo");
    }

    /** @return a device's {@code cl_ulong}/{@code size_t}/bitfield property */
    public static long deviceInfoLong(long device, int param) {
        return CALLS.longOut(value -> (int) OpenClNative.clGetDeviceInfo.invokeExact(device, param, 8L, value, MemorySegment.NULL),
                "clGetDeviceInfo");
    }

    private static String string(MethodHandle info, long handle, int param, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            check((int) info.invokeExact(handle, param, 0L, MemorySegment.NULL, size), function);
            long n = size.get(JAVA_LONG, 0);
            MemorySegment text = arena.allocate(Math.max(1, n));
            check((int) info.invokeExact(handle, param, n, text, MemorySegment.NULL), function);
            return text.getString(0, StandardCharsets.UTF_8).strip();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a new context on one device */
    public static long createContext(long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocateFrom(JAVA_LONG, device);
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment ctx = (MemorySegment) OpenClNative.clCreateContext.invokeExact(MemorySegment.NULL, 1, devices,
                    MemorySegment.NULL, MemorySegment.NULL, rc);
            check(rc.get(JAVA_INT, 0), "clCreateContext");
            return ctx.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Releases a context. */
    public static void releaseContext(long context) {
        call(OpenClNative.clReleaseContext, context, "clReleaseContext");
    }

    /** @return a new in-order command queue without profiling */
    public static long createQueue(long context, long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment q = (MemorySegment) OpenClNative.clCreateCommandQueue.invokeExact(context, device, 0L, rc);
            check(rc.get(JAVA_INT, 0), "clCreateCommandQueue");
            return q.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Releases a command queue. */
    public static void releaseQueue(long queue) {
        call(OpenClNative.clReleaseCommandQueue, queue, "clReleaseCommandQueue");
    }

    /** Issues the queue's commands to the device. */
    public static void flush(long queue) {
        call(OpenClNative.clFlush, queue, "clFlush");
    }

    /** Blocks until the queue's commands have completed. */
    public static void finish(long queue) {
        call(OpenClNative.clFinish, queue, "clFinish");
    }

    private static void call(MethodHandle handle, long object, String function) {
        CALLS.call(() -> (int) handle.invokeExact(object), function);
    }

    static int status(MethodHandle handle, long object) {
        return CALLS.status(() -> (int) handle.invokeExact(object));
    }

    /** Releases a program. */
    public static void releaseProgram(long program) {
        call(OpenClNative.clReleaseProgram, program, "clReleaseProgram");
    }

    /** Releases a kernel. */
    public static void releaseKernel(long kernel) {
        call(OpenClNative.clReleaseKernel, kernel, "clReleaseKernel");
    }

    /** Releases a memory object. */
    public static void releaseMem(long mem) {
        call(OpenClNative.clReleaseMemObject, mem, "clReleaseMemObject");
    }

    /** Releases an event. */
    public static void releaseEvent(long event) {
        call(OpenClNative.clReleaseEvent, event, "clReleaseEvent");
    }

    /** @return a read-write buffer of {@code bytes} bytes */
    public static long createBuffer(long context, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment mem = (MemorySegment) OpenClNative.clCreateBuffer.invokeExact(context, CL_MEM_READ_WRITE, bytes,
                    MemorySegment.NULL, rc);
            check(rc.get(JAVA_INT, 0), "clCreateBuffer");
            return mem.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment bytes(Arena arena, byte[] data) {
        return arena.allocateFrom(JAVA_BYTE, data);
    }
}
