package xsched.backend.fpga;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.backend.fpga.internal.ffm.ProgramCalls;
import xsched.backend.fpga.internal.ffm.QueueCalls;

/**
 * One OpenCL device as an xsched device {@code opencl:N}, with a context of its own: make programs,
 * kernels and buffers here, build commands from them, and submit the commands to an XQueue on
 * {@link #id()}. The blocking {@link #write} and {@link #read} helpers are for setup and checks,
 * outside any XQueue. Thread-safe.
 */
public final class OpenClDevice {
    private final String id;
    private final long device;
    private final long context;
    private final XpuDevice xpu;
    private final String version;
    private final long maxWorkGroupSize;
    private final Object setupLock = new Object();
    private long setupQueue;
    private boolean closed;

    OpenClDevice(int index, long platform, long device, String platformName) {
        this.id = "opencl:" + index;
        this.device = device;
        long type = OpenCl.deviceInfoLong(device, OpenCl.CL_DEVICE_TYPE);
        String name = OpenCl.deviceInfo(device, OpenCl.CL_DEVICE_NAME);
        this.version = OpenCl.deviceInfo(device, OpenCl.CL_DEVICE_VERSION);
        this.maxWorkGroupSize = OpenCl.deviceInfoLong(device, OpenCl.CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.xpu = new XpuDevice(id, "opencl", kind(type), name + " (" + platformName + ", " + version + ")", PreemptLevel.LAUNCH);
        this.context = OpenCl.createContext(device);
    }

    /** @return the xsched kind for a {@code CL_DEVICE_TYPE}: accelerator → FPGA, GPU → GPU, CPU → CPU */
    static DeviceKind kind(long clDeviceType) {
        if ((clDeviceType & OpenCl.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return DeviceKind.FPGA;
        }
        if ((clDeviceType & OpenCl.CL_DEVICE_TYPE_GPU) != 0) {
            return DeviceKind.GPU;
        }
        if ((clDeviceType & OpenCl.CL_DEVICE_TYPE_CPU) != 0) {
            return DeviceKind.CPU;
        }
        return DeviceKind.ASIC;
    }

    /** @return the xsched device id, {@code opencl:N} */
    public String id() {
        return id;
    }

    /** @return the device as xsched lists it (kind, name with platform and OpenCL version, level 1) */
    public XpuDevice device() {
        return xpu;
    }

    /** @return the device's {@code CL_DEVICE_VERSION}, e.g. {@code OpenCL 3.0 PoCL …} */
    public String version() {
        return version;
    }

    /** @return {@code CL_DEVICE_MAX_WORK_GROUP_SIZE} */
    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    /**
     * Builds a program from OpenCL C source, keeping argument info so launches are checked.
     *
     * @param source  the source
     * @param options build options, e.g. {@code -cl-std=CL1.2}; may be empty
     * @return the built program
     * @throws IllegalArgumentException when it does not build; the message carries the build log
     */
    public OpenClProgram program(String source, String options) {
        Objects.requireNonNull(source, "source");
        String opts = ("-cl-kernel-arg-info " + Objects.requireNonNullElse(options, "")).strip();
        return OpenClProgram.build(this, ProgramCalls.fromSource(context, source), opts, "program");
    }

    /**
     * Loads a program from a device binary: an FPGA bitstream ({@code .xclbin}, {@code .aocx}) or a
     * binary another run of this device produced.
     *
     * @param binary  the binary
     * @param options build options; may be empty
     * @return the built program
     * @throws IllegalArgumentException when the device rejects the binary or it does not build
     */
    public OpenClProgram programFromBinary(byte[] binary, String options) {
        Objects.requireNonNull(binary, "binary");
        if (binary.length == 0) {
            throw new IllegalArgumentException("the binary is empty");
        }
        long program;
        try {
            program = ProgramCalls.fromBinary(context, device, binary);
        } catch (OpenClException e) {
            throw new IllegalArgumentException("the binary cannot be loaded on " + id + ": " + e.getMessage(), e);
        }
        return OpenClProgram.build(this, program, options, "binary program");
    }

    /** @param bytes size @return a new read-write buffer */
    public OpenClBuffer buffer(long bytes) {
        return new OpenClBuffer(this, bytes);
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(OpenClBuffer buffer, long offset, float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            transfer(buffer, offset, arena.allocateFrom(ValueLayout.JAVA_FLOAT, values), true);
        }
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(OpenClBuffer buffer, long offset, int[] values) {
        try (Arena arena = Arena.ofConfined()) {
            transfer(buffer, offset, arena.allocateFrom(ValueLayout.JAVA_INT, values), true);
        }
    }

    /** @return {@code count} floats read from byte {@code offset} (blocking, outside XQueues) */
    public float[] readFloats(OpenClBuffer buffer, long offset, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(ValueLayout.JAVA_FLOAT, count);
            transfer(buffer, offset, host, false);
            return host.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    /** @return {@code count} ints read from byte {@code offset} (blocking, outside XQueues) */
    public int[] readInts(OpenClBuffer buffer, long offset, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(ValueLayout.JAVA_INT, count);
            transfer(buffer, offset, host, false);
            return host.toArray(ValueLayout.JAVA_INT);
        }
    }

    private void transfer(OpenClBuffer buffer, long offset, MemorySegment host, boolean write) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.device() != this) {
            throw new IllegalArgumentException("the buffer is on " + buffer.device().id() + ", not " + id);
        }
        buffer.ensureOpen();
        buffer.checkRange(offset, host.byteSize());
        synchronized (setupLock) {
            if (closed) {
                throw new IllegalStateException(id + " was closed");
            }
            if (setupQueue == 0) {
                setupQueue = OpenCl.createQueue(context, device);
            }
            if (write) {
                QueueCalls.write(setupQueue, buffer.handle(), true, offset, host.byteSize(), host);
            } else {
                QueueCalls.read(setupQueue, buffer.handle(), true, offset, host.byteSize(), host);
            }
        }
    }

    long handle() {
        return device;
    }

    long context() {
        return context;
    }

    /** Drops this object's references; programs, buffers and queues made from it keep the context alive. */
    void close() {
        synchronized (setupLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (setupQueue != 0) {
                OpenCl.releaseQueue(setupQueue);
            }
            OpenCl.releaseContext(context);
        }
    }

    @Override
    public String toString() {
        return id + " " + xpu.name();
    }
}
