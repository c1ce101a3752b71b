package xsched.backend.levelzero;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeModuleCalls;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;
import xsched.backend.levelzero.internal.ze.ZeResults;

/**
 * One Level Zero device as an xsched device ({@code levelzero:N} or {@code npu:N}) with a context
 * of its own: make modules, kernels and buffers here, build commands from them and submit the
 * commands to an XQueue on {@link #id()}. The blocking {@link #write} and {@code read…} helpers are
 * for setup and checks, outside any XQueue. Thread-safe.
 *
 * <p>The context lives as long as the platform holds the device or anything made on it is open:
 * closing the platform (a backend going away) leaves the application's modules and buffers valid.
 */
public final class ZeDevice {
    private final String id;
    private final ZeDeviceType type;
    private final XpuDevice xpu;
    private final long driver;
    private final long device;
    private final long context;
    private final int ordinal;
    private final Limits limits;
    private final String uuid;
    private final Object lock = new Object();
    private int users;
    private boolean retired;
    private boolean destroyed;
    private long setupQueue;
    private long setupList;

    /**
     * The group-size limits launches are checked against.
     *
     * @param maxTotalGroupSize most work-items in a group, 0 when unknown
     * @param maxGroupSize      most work-items per dimension (x, y, z)
     * @param maxGroupCount     most groups per dimension (x, y, z)
     */
    record Limits(int maxTotalGroupSize, int[] maxGroupSize, int[] maxGroupCount) {
        static final Limits UNKNOWN = new Limits(0, new int[3], new int[3]);
    }

    ZeDevice(String id, ZeDeviceType type, String name, long driver, long device, long context, int ordinal, Limits limits,
            String uuid) {
        this.id = id;
        this.type = type;
        this.driver = driver;
        this.device = device;
        this.context = context;
        this.ordinal = ordinal;
        this.limits = limits;
        this.uuid = uuid;
        this.xpu = new XpuDevice(id, type.platform(), type.kind(), name, PreemptLevel.LAUNCH);
    }

    /** Opens a device the loader listed: creates its context, finds its queue group and limits. */
    static ZeDevice open(int index, ZeDeviceType type, long driver, long device, LevelZero.DeviceProperties props,
            String driverText) {
        int ordinal = queueOrdinal(LevelZero.queueGroups(device));
        if (ordinal < 0) {
            throw new IllegalStateException(props.name() + " has no command queue group that computes or copies");
        }
        Limits limits;
        try {
            LevelZero.ComputeProperties compute = LevelZero.computeProperties(device);
            limits = new Limits(compute.maxTotalGroupSize(), compute.maxGroupSize(), compute.maxGroupCount());
        } catch (ZeException e) {
            limits = Limits.UNKNOWN;
        }
        long context = LevelZero.createContext(driver);
        String name = props.name() + " (" + String.format("%04x:%04x", props.vendorId(), props.deviceId())
                + ((props.flags() & LevelZero.DEVICE_FLAG_INTEGRATED) != 0 ? ", integrated" : "") + ", Level Zero " + driverText + ")";
        return new ZeDevice(type.platform() + ":" + index, type, name, driver, device, context, ordinal, limits,
                HexFormat.of().formatHex(props.uuid()));
    }

    /** @return the first queue group that computes, else the first that copies, else -1 */
    static int queueOrdinal(List<LevelZero.QueueGroup> groups) {
        return groups.stream().filter(LevelZero.QueueGroup::compute).mapToInt(LevelZero.QueueGroup::ordinal).findFirst()
                .orElse(groups.stream().filter(LevelZero.QueueGroup::copy).mapToInt(LevelZero.QueueGroup::ordinal).findFirst().orElse(-1));
    }

    /** @return the xsched device id, {@code levelzero:N} or {@code npu:N} */
    public String id() {
        return id;
    }

    /** @return the Level Zero device type */
    public ZeDeviceType type() {
        return type;
    }

    /** @return the device as xsched lists it (kind, name with PCI ids and driver, level 1) */
    public XpuDevice device() {
        return xpu;
    }

    /** @return the device's UUID in hex, stable across processes (for matching devices between them) */
    public String uuid() {
        return uuid;
    }

    /** @return the most work-items in one group, 0 when the driver does not say */
    public int maxTotalGroupSize() {
        return limits.maxTotalGroupSize();
    }

    Limits limits() {
        return limits;
    }

    /**
     * @return the extensions the device's driver offers, as {@code name vMAJOR.MINOR} (e.g. the Intel
     *         NPU driver's graph extension), empty for a device without a driver (tests)
     */
    public List<String> driverExtensions() {
        return driver == 0 ? List.of() : LevelZero.driverExtensions(driver);
    }

    /**
     * Builds a module from SPIR-V ({@code zeModuleCreate}, {@code ZE_MODULE_FORMAT_IL_SPIRV}).
     *
     * @param spirv      the SPIR-V binary
     * @param buildFlags build flags, e.g. {@code -ze-opt-disable}; may be empty
     * @return the module
     * @throws IllegalArgumentException when it does not build; the message carries the build log
     * @throws UnsupportedOperationException when the device's driver has no modules (the Intel NPU driver)
     */
    public ZeModule module(byte[] spirv, String buildFlags) {
        return ZeModule.build(this, ZeModuleCalls.MODULE_FORMAT_IL_SPIRV, spirv, buildFlags, "SPIR-V module");
    }

    /**
     * Loads a module from the device's native binary (one a previous build produced).
     *
     * @param binary     the binary
     * @param buildFlags build flags; may be empty
     * @return the module
     * @throws IllegalArgumentException when the device rejects it
     * @throws UnsupportedOperationException when the device's driver has no modules
     */
    public ZeModule moduleFromNative(byte[] binary, String buildFlags) {
        return ZeModule.build(this, ZeModuleCalls.MODULE_FORMAT_NATIVE, binary, buildFlags, "native module");
    }

    /** @param bytes size @return a new device allocation ({@code zeMemAllocDevice}) */
    public ZeBuffer buffer(long bytes) {
        return ZeBuffer.allocate(this, ZeBuffer.Kind.DEVICE, bytes);
    }

    /** @param bytes size @return a new host allocation ({@code zeMemAllocHost}), which Java reads and writes directly */
    public ZeBuffer hostBuffer(long bytes) {
        return ZeBuffer.allocate(this, ZeBuffer.Kind.HOST, bytes);
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(ZeBuffer buffer, long offset, float[] values) {
        write(buffer, offset, MemorySegment.ofArray(values));
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(ZeBuffer buffer, long offset, int[] values) {
        write(buffer, offset, MemorySegment.ofArray(values));
    }

    /** Blocking write of {@code values} at byte {@code offset} (setup, outside XQueues). */
    public void write(ZeBuffer buffer, long offset, byte[] values) {
        write(buffer, offset, MemorySegment.ofArray(values));
    }

    /** @return {@code count} floats read from byte {@code offset} (blocking, outside XQueues) */
    public float[] readFloats(ZeBuffer buffer, long offset, int count) {
        return read(buffer, offset, 4L * count).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
    }

    /** @return {@code count} ints read from byte {@code offset} (blocking, outside XQueues) */
    public int[] readInts(ZeBuffer buffer, long offset, int count) {
        return read(buffer, offset, 4L * count).toArray(ValueLayout.JAVA_INT_UNALIGNED);
    }

    /** @return {@code count} bytes read from byte {@code offset} (blocking, outside XQueues) */
    public byte[] readBytes(ZeBuffer buffer, long offset, int count) {
        return read(buffer, offset, count).toArray(ValueLayout.JAVA_BYTE);
    }

    private void write(ZeBuffer buffer, long offset, MemorySegment data) {
        checkOwn(buffer);
        buffer.checkRange(offset, data.byteSize());
        if (buffer.kind() == ZeBuffer.Kind.HOST) {
            buffer.hostSegment().asSlice(offset, data.byteSize()).copyFrom(data);
            return;
        }
        withStaging(data.byteSize(), staging -> {
            staging.copyFrom(data);
            copyNow(buffer.pointer() + offset, staging.address(), data.byteSize());
        });
    }

    private MemorySegment read(ZeBuffer buffer, long offset, long bytes) {
        checkOwn(buffer);
        buffer.checkRange(offset, bytes);
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
        if (buffer.kind() == ZeBuffer.Kind.HOST) {
            out.copyFrom(buffer.hostSegment().asSlice(offset, bytes));
            return out;
        }
        withStaging(bytes, staging -> {
            copyNow(staging.address(), buffer.pointer() + offset, bytes);
            out.copyFrom(staging);
        });
        return out;
    }

    /**
     * Runs {@code use} with host memory the device can copy to and from, freed afterwards. It is not
     * a {@link ZeBuffer}: the caller's buffer keeps the context alive, and a retired device (its
     * platform closed) must still serve the buffers the application kept.
     */
    private void withStaging(long bytes, java.util.function.Consumer<MemorySegment> use) {
        if (bytes == 0) {
            return;
        }
        long pointer = LevelZero.allocHost(context, bytes, 64);
        try {
            use.accept(MemorySegment.ofAddress(pointer).reinterpret(bytes));
        } finally {
            LevelZero.free(context, pointer);
        }
    }

    private void checkOwn(ZeBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.device() != this) {
            throw new IllegalArgumentException("the buffer is on " + buffer.device().id() + ", not " + id);
        }
        buffer.ensureOpen();
    }

    /** A copy through the device's setup queue and list, waited for; nothing else uses them. */
    private void copyNow(long dst, long src, long bytes) {
        if (bytes == 0) {
            return;
        }
        synchronized (lock) {
            if (destroyed) {
                throw new IllegalStateException(id + " was closed");
            }
            if (setupQueue == 0) {
                setupQueue = ZeQueueCalls.createQueue(context, device, ordinal, ZeQueueCalls.MODE_ASYNCHRONOUS);
                setupList = ZeQueueCalls.createList(context, device, ordinal);
            } else {
                ZeQueueCalls.resetList(setupList);
            }
            ZeQueueCalls.appendCopy(setupList, dst, src, bytes);
            ZeQueueCalls.closeList(setupList);
            ZeQueueCalls.execute(setupQueue, setupList, 0);
            LevelZero.check(ZeQueueCalls.synchronizeQueue(setupQueue, ZeQueueCalls.FOREVER), "zeCommandQueueSynchronize");
        }
    }

    /** Counts something made on this device that needs its context; refused once the device was closed. */
    void acquire() {
        synchronized (lock) {
            if (retired) {
                throw new IllegalStateException(id + " was closed (its platform or backend went away); open the platform again");
            }
            users++;
        }
    }

    /** Something made on this device was closed; the last one out destroys a retired device's context. */
    void release() {
        synchronized (lock) {
            users--;
            destroyIfUnused();
        }
    }

    /** The platform lets go; the context goes once nothing made on it is open. */
    void retire() {
        synchronized (lock) {
            retired = true;
            destroyIfUnused();
        }
    }

    private void destroyIfUnused() {
        if (!retired || users > 0 || destroyed) {
            return;
        }
        destroyed = true;
        if (context == 0) {
            return;
        }
        try {
            if (setupList != 0) {
                ZeQueueCalls.destroyList(setupList);
            }
            if (setupQueue != 0) {
                ZeQueueCalls.destroyQueue(setupQueue);
            }
        } finally {
            LevelZero.destroyContext(context);
        }
    }

    /** @return whether the context still exists */
    boolean live() {
        synchronized (lock) {
            return !destroyed;
        }
    }

    long handle() {
        return device;
    }

    long context() {
        return context;
    }

    int ordinal() {
        return ordinal;
    }

    /** @return why modules cannot be made here, when the driver says it has none */
    String noModules(int rc) {
        return "the driver of " + id + " has no modules (zeModuleCreate: " + ZeResults.name(rc) + ")"
                + (type == ZeDeviceType.VPU ? "; the Intel NPU driver runs compiled graphs (the ZE_extension_graph extension), "
                        + "not SPIR-V kernels, so on an NPU xsched schedules copies only for now" : "");
    }

    @Override
    public String toString() {
        return id + " " + xpu.name();
    }
}
