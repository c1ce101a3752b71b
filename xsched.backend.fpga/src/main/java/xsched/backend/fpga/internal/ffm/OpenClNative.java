package xsched.backend.fpga.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * Raw downcall handles into the OpenCL ICD loader, one per entry point this backend uses. Object
 * handles ({@code cl_platform_id}, {@code cl_device_id}, {@code cl_context}, {@code
 * cl_command_queue}, {@code cl_program}, {@code cl_kernel}, {@code cl_mem}, {@code cl_event}) and
 * {@code size_t} travel as {@code long} arguments: on every LP64 ABI a pointer argument is passed
 * like a 64-bit integer. Functions that create an object return it as an address and report their
 * status through an {@code errcode_ret} out-parameter. Only {@link OpenCl} calls these.
 *
 * <p>The handles are created when this class initializes, which first opens the library. A symbol
 * the library lacks (or every symbol, when the library is absent) gets a handle that throws
 * {@link UnsupportedOperationException} naming it, so initialization itself never fails.
 */
final class OpenClNative {
    private OpenClNative() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VendorLibrary LIBRARY = OpenClLibrary.system();
    private static final MethodHandle MISSING;

    static {
        try {
            MISSING = MethodHandles.lookup().findStatic(OpenClNative.class, "missing",
                    MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final MethodHandle clGetPlatformIDs = status("clGetPlatformIDs", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clGetPlatformInfo = status("clGetPlatformInfo", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clGetDeviceIDs = status("clGetDeviceIDs", JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clGetDeviceInfo = status("clGetDeviceInfo", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clCreateContext = object("clCreateContext", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle clReleaseContext = status("clReleaseContext", JAVA_LONG);
    static final MethodHandle clCreateCommandQueue = object("clCreateCommandQueue", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    static final MethodHandle clReleaseCommandQueue = status("clReleaseCommandQueue", JAVA_LONG);
    static final MethodHandle clFlush = status("clFlush", JAVA_LONG);
    static final MethodHandle clFinish = status("clFinish", JAVA_LONG);
    static final MethodHandle clCreateProgramWithSource = object("clCreateProgramWithSource", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle clCreateProgramWithBinary = object("clCreateProgramWithBinary",
            JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle clBuildProgram = status("clBuildProgram", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    static final MethodHandle clGetProgramBuildInfo = status("clGetProgramBuildInfo", JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clReleaseProgram = status("clReleaseProgram", JAVA_LONG);
    static final MethodHandle clCreateKernel = object("clCreateKernel", JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clGetKernelInfo = status("clGetKernelInfo", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clGetKernelArgInfo = status("clGetKernelArgInfo", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clSetKernelArg = status("clSetKernelArg", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    static final MethodHandle clReleaseKernel = status("clReleaseKernel", JAVA_LONG);
    static final MethodHandle clCreateBuffer = object("clCreateBuffer", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clReleaseMemObject = status("clReleaseMemObject", JAVA_LONG);
    static final MethodHandle clEnqueueNDRangeKernel = status("clEnqueueNDRangeKernel",
            JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clEnqueueWriteBuffer = status("clEnqueueWriteBuffer",
            JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clEnqueueReadBuffer = status("clEnqueueReadBuffer",
            JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clEnqueueCopyBuffer = status("clEnqueueCopyBuffer",
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clEnqueueMarkerWithWaitList = status("clEnqueueMarkerWithWaitList", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle clWaitForEvents = status("clWaitForEvents", JAVA_INT, ADDRESS);
    static final MethodHandle clGetEventInfo = status("clGetEventInfo", JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    static final MethodHandle clReleaseEvent = status("clReleaseEvent", JAVA_LONG);

    /** @return the library the handles were bound against */
    static VendorLibrary library() {
        return LIBRARY;
    }

    /** A function returning a {@code cl_int} status. */
    private static MethodHandle status(String symbol, MemoryLayout... args) {
        return bind(symbol, FunctionDescriptor.of(JAVA_INT, args));
    }

    /** A function returning an object and its status through the last argument. */
    private static MethodHandle object(String symbol, MemoryLayout... args) {
        return bind(symbol, FunctionDescriptor.of(ADDRESS, args));
    }

    private static MethodHandle bind(String symbol, FunctionDescriptor descriptor) {
        Optional<MemorySegment> address = LIBRARY.find(symbol);
        if (address.isPresent()) {
            return LINKER.downcallHandle(address.get(), descriptor);
        }
        MethodType type = descriptor.toMethodType();
        MethodHandle thrower = MethodHandles.insertArguments(MISSING, 0, symbol).asType(MethodType.methodType(type.returnType()));
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }

    private static Object missing(String symbol) {
        String why = LIBRARY.absentReason().map(r -> "OpenCL unsupported because " + r)
                .orElse("the OpenCL library " + LIBRARY.source().orElse("") + " does not export " + symbol
                        + "; it is older than OpenCL 1.2, which this backend needs");
        throw new UnsupportedOperationException(symbol + ": " + why);
    }
}
