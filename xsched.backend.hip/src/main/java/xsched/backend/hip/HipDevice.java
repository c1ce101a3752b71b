package xsched.backend.hip;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.hip.internal.codeobject.CodeObject;
import xsched.backend.hip.internal.ffm.HipRuntime;

/**
 * One AMD GPU as an xsched device {@code hip:N} (N the HIP device ordinal): load modules, allocate
 * buffers, build commands from them and submit the commands to an XQueue on {@link #id()}. The
 * blocking {@code write}/{@code read} helpers are for setup and checks, outside any XQueue.
 *
 * <p>HIP keeps one implicit context per device for the whole process, so modules and buffers made
 * here stay valid across backend swaps and across {@link HipPlatform} objects: commands built with
 * one run on the queues of any backend over the same device ordinal. Thread-safe; every call makes
 * this device current on the calling thread first ({@code hipSetDevice}).
 */
public final class HipDevice {
    private final int ordinal;
    private final String id;
    private final String name;
    private final int computeUnits;
    private final int maxThreadsPerBlock;
    private final Dim3 maxBlock;
    private final Dim3 maxGrid;
    private final long totalMemory;
    private final XpuDevice xpu;

    HipDevice(int ordinal, String name, int computeUnits, int maxThreadsPerBlock, Dim3 maxBlock, Dim3 maxGrid,
            long totalMemory, String runtimeVersion) {
        this.ordinal = ordinal;
        this.id = HipPlatform.PLATFORM + ":" + ordinal;
        this.name = Objects.requireNonNull(name, "name");
        this.computeUnits = computeUnits;
        this.maxThreadsPerBlock = maxThreadsPerBlock;
        this.maxBlock = Objects.requireNonNull(maxBlock, "maxBlock");
        this.maxGrid = Objects.requireNonNull(maxGrid, "maxGrid");
        this.totalMemory = totalMemory;
        this.xpu = new XpuDevice(id, HipPlatform.PLATFORM, DeviceKind.GPU, name + " (" + computeUnits + " CUs, "
                + (totalMemory >> 20) + " MiB, HIP " + runtimeVersion + ")", PreemptLevel.LAUNCH);
    }

    /** Asks the runtime about device {@code ordinal}. */
    static HipDevice probe(int ordinal, String runtimeVersion) {
        int device = HipRuntime.device(ordinal);
        return new HipDevice(ordinal, HipRuntime.deviceName(device),
                HipRuntime.deviceAttribute(HipRuntime.ATTR_MULTIPROCESSOR_COUNT, ordinal),
                HipRuntime.deviceAttribute(HipRuntime.ATTR_MAX_THREADS_PER_BLOCK, ordinal),
                dims(HipRuntime.ATTR_MAX_BLOCK_DIM_X, ordinal), dims(HipRuntime.ATTR_MAX_GRID_DIM_X, ordinal),
                HipRuntime.deviceTotalMem(device), runtimeVersion);
    }

    private static Dim3 dims(int firstAttribute, int ordinal) {
        return new Dim3(HipRuntime.deviceAttribute(firstAttribute, ordinal), HipRuntime.deviceAttribute(firstAttribute + 1, ordinal),
                HipRuntime.deviceAttribute(firstAttribute + 2, ordinal));
    }

    /** @return the xsched device id, {@code hip:N} */
    public String id() {
        return id;
    }

    /** @return the HIP device ordinal */
    public int ordinal() {
        return ordinal;
    }

    /** @return the product name */
    public String name() {
        return name;
    }

    /** @return the device as xsched lists it (kind GPU, level 1) */
    public XpuDevice device() {
        return xpu;
    }

    /** @return compute units */
    public int computeUnits() {
        return computeUnits;
    }

    /** @return the most threads a block may have on this device */
    public int maxThreadsPerBlock() {
        return maxThreadsPerBlock;
    }

    /** @return the largest block in each dimension */
    public Dim3 maxBlock() {
        return maxBlock;
    }

    /** @return the largest grid in each dimension */
    public Dim3 maxGrid() {
        return maxGrid;
    }

    /** @return device memory in bytes */
    public long totalMemory() {
        return totalMemory;
    }

    /** Makes this device current on the calling thread. */
    void bind() {
        HipRuntime.setDevice(ordinal);
    }

    /**
     * Loads a module from a code object ({@code .hsaco}/{@code .co}, or an offload bundle such as
     * {@code hipcc --genco} writes). Kernels are checked against the parameters its metadata
     * declares where it can be read ({@link HipModule#parametersChecked()}).
     *
     * @param image the code object's bytes, copied
     * @return the module
     * @throws IllegalArgumentException when the runtime refuses the image (e.g. it holds no code for
     *                                  this GPU's architecture); the message says which targets it has
     */
    public HipModule module(byte[] image) {
        Objects.requireNonNull(image, "image");
        if (image.length == 0) {
            throw new IllegalArgumentException("the code object is empty");
        }
        CodeObject info = CodeObject.read(image);
        // The runtime's loader keeps pointers into the image (ROCm 5's FatBinaryInfo), so the module owns a copy until unloaded.
        Arena arena = Arena.ofShared();
        try {
            MemorySegment copy = arena.allocate(image.length, 4096);
            MemorySegment.copy(image, 0, copy, ValueLayout.JAVA_BYTE, 0, image.length);
            bind();
            long handle = HipRuntime.moduleLoadData(copy);
            return new HipModule(this, handle, arena, info);
        } catch (HipException e) {
            arena.close();
            throw new IllegalArgumentException("the code object cannot be loaded on " + id + " (" + name + "): " + e.getMessage()
                    + (info.targets().isEmpty() ? "" : "; it holds code for " + info.targets()), e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** @param bytes size, at least 1 @return new device memory, not initialized */
    public HipBuffer buffer(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a buffer needs at least one byte, not " + bytes);
        }
        bind();
        return new HipBuffer(this, HipRuntime.malloc(bytes), bytes);
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(HipBuffer buffer, long offset, int[] values) {
        try (Arena arena = Arena.ofConfined()) {
            write(buffer, offset, arena.allocateFrom(ValueLayout.JAVA_INT, values));
        }
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(HipBuffer buffer, long offset, float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            write(buffer, offset, arena.allocateFrom(ValueLayout.JAVA_FLOAT, values));
        }
    }

    private void write(HipBuffer buffer, long offset, MemorySegment host) {
        checkOwn(buffer, offset, host.byteSize());
        bind();
        HipRuntime.memcpyHtoD(buffer.address() + offset, host, host.byteSize());
    }

    /** @return {@code count} ints read from byte {@code offset} (blocking, outside XQueues) */
    public int[] readInts(HipBuffer buffer, long offset, int count) {
        try (Arena arena = Arena.ofConfined()) {
            return read(buffer, offset, arena.allocate(ValueLayout.JAVA_INT, count)).toArray(ValueLayout.JAVA_INT);
        }
    }

    /** @return {@code count} floats read from byte {@code offset} (blocking, outside XQueues) */
    public float[] readFloats(HipBuffer buffer, long offset, int count) {
        try (Arena arena = Arena.ofConfined()) {
            return read(buffer, offset, arena.allocate(ValueLayout.JAVA_FLOAT, count)).toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    private MemorySegment read(HipBuffer buffer, long offset, MemorySegment host) {
        checkOwn(buffer, offset, host.byteSize());
        bind();
        HipRuntime.memcpyDtoH(host, buffer.address() + offset, host.byteSize());
        return host;
    }

    private void checkOwn(HipBuffer buffer, long offset, long bytes) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.device().sameDevice(this)) {
            throw new IllegalArgumentException("the buffer is on " + buffer.device().id() + ", not " + id);
        }
        buffer.ensureOpen();
        buffer.checkRange(offset, bytes, "transfer");
    }

    /** @return whether {@code other} is the same HIP device (the same ordinal in this process) */
    public boolean sameDevice(HipDevice other) {
        return other != null && other.ordinal == ordinal;
    }

    @Override
    public String toString() {
        return id + " " + xpu.name();
    }
}
