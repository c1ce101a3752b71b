package xsched.backend.fpga.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.fpga.internal.ffm.OpenCl.check;
import static xsched.backend.fpga.internal.ffm.OpenCl.rethrow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** Programs and kernels: create, build, build log, kernel lookup, argument info and values. */
public final class ProgramCalls {
    private ProgramCalls() {
    }

    /** @return a program from OpenCL C source, not built yet */
    public static long fromSource(long context, String source) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(source, StandardCharsets.UTF_8);
            MemorySegment strings = arena.allocateFrom(ADDRESS, text);
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment program = (MemorySegment) OpenClNative.clCreateProgramWithSource.invokeExact(context, 1, strings,
                    MemorySegment.NULL, rc);
            check(rc.get(JAVA_INT, 0), "clCreateProgramWithSource");
            return program.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a program from a device binary (an FPGA bitstream, a PoCL binary), not built yet */
    public static long fromBinary(long context, long device, byte[] binary) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocateFrom(JAVA_LONG, device);
            MemorySegment lengths = arena.allocateFrom(JAVA_LONG, binary.length);
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, binary);
            MemorySegment binaries = arena.allocateFrom(ADDRESS, data);
            MemorySegment binaryStatus = arena.allocate(JAVA_INT);
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment program = (MemorySegment) OpenClNative.clCreateProgramWithBinary.invokeExact(context, 1, devices,
                    lengths, binaries, binaryStatus, rc);
            int status = rc.get(JAVA_INT, 0);
            if (status != OpenCl.CL_SUCCESS) {
                throw OpenCl.error(status, "clCreateProgramWithBinary", "binary status " + OpenCl.errorName(binaryStatus.get(JAVA_INT, 0)));
            }
            return program.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the status of {@code clBuildProgram} for one device (the caller reads the log on failure) */
    public static int build(long program, long device, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocateFrom(JAVA_LONG, device);
            MemorySegment opts = arena.allocateFrom(options, StandardCharsets.UTF_8);
            return (int) OpenClNative.clBuildProgram.invokeExact(program, 1, devices, opts, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the build log of the program for the device, empty if none */
    public static String buildLog(long program, long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            check((int) OpenClNative.clGetProgramBuildInfo.invokeExact(program, device, OpenCl.CL_PROGRAM_BUILD_LOG, 0L,
                    MemorySegment.NULL, size), "clGetProgramBuildInfo");
            long n = size.get(JAVA_LONG, 0);
            MemorySegment log = arena.allocate(Math.max(1, n));
            check((int) OpenClNative.clGetProgramBuildInfo.invokeExact(program, device, OpenCl.CL_PROGRAM_BUILD_LOG, n, log,
                    MemorySegment.NULL), "clGetProgramBuildInfo");
            return log.getString(0, StandardCharsets.UTF_8).strip();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @return the kernel
     * @throws xsched.backend.fpga.OpenClException with {@link OpenCl#CL_INVALID_KERNEL_NAME} when there is none of that name
     */
    public static long createKernel(long program, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rc = arena.allocate(JAVA_INT);
            MemorySegment kernel = (MemorySegment) OpenClNative.clCreateKernel.invokeExact(program,
                    arena.allocateFrom(name, StandardCharsets.UTF_8), rc);
            check(rc.get(JAVA_INT, 0), "clCreateKernel");
            return kernel.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return how many arguments the kernel takes */
    public static int argCount(long kernel) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check((int) OpenClNative.clGetKernelInfo.invokeExact(kernel, OpenCl.CL_KERNEL_NUM_ARGS, 4L, n, MemorySegment.NULL),
                    "clGetKernelInfo");
            return n.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the argument's address qualifier, empty when the program kept no argument info */
    public static OptionalInt argAddressQualifier(long kernel, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(JAVA_INT);
            int rc = (int) OpenClNative.clGetKernelArgInfo.invokeExact(kernel, index, OpenCl.CL_KERNEL_ARG_ADDRESS_QUALIFIER, 4L, q,
                    MemorySegment.NULL);
            if (rc == OpenCl.CL_KERNEL_ARG_INFO_NOT_AVAILABLE) {
                return OptionalInt.empty();
            }
            check(rc, "clGetKernelArgInfo");
            return OptionalInt.of(q.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the argument's type name, e.g. {@code float*} or {@code int}, or null when not kept */
    public static String argTypeName(long kernel, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            int rc = (int) OpenClNative.clGetKernelArgInfo.invokeExact(kernel, index, OpenCl.CL_KERNEL_ARG_TYPE_NAME, 0L,
                    MemorySegment.NULL, size);
            if (rc == OpenCl.CL_KERNEL_ARG_INFO_NOT_AVAILABLE) {
                return null;
            }
            check(rc, "clGetKernelArgInfo");
            long n = size.get(JAVA_LONG, 0);
            MemorySegment text = arena.allocate(Math.max(1, n));
            check((int) OpenClNative.clGetKernelArgInfo.invokeExact(kernel, index, OpenCl.CL_KERNEL_ARG_TYPE_NAME, n, text,
                    MemorySegment.NULL), "clGetKernelArgInfo");
            return text.getString(0, StandardCharsets.UTF_8).strip();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sets one argument.
     *
     * @param value the value's bytes, or {@link MemorySegment#NULL} for a local-memory size
     */
    public static void setArg(long kernel, int index, long size, MemorySegment value) {
        try {
            check((int) OpenClNative.clSetKernelArg.invokeExact(kernel, index, size, value), "clSetKernelArg");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
