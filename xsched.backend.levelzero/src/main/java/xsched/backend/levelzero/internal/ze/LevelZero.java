package xsched.backend.levelzero.internal.ze;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.levelzero.internal.ze.ZeStructs.COMMAND_QUEUE_GROUP_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.DEVICE_COMPUTE_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.DEVICE_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.DRIVER_EXTENSION_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.DRIVER_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.getInt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import xsched.backend.levelzero.ZeException;
import xsched.backend.support.CheckedCalls;
import xsched.backend.support.VendorLibrary;

/**
 * The Level Zero API as xsched uses it, part one: drivers, devices, contexts and memory ({@link
 * ZeModuleCalls} has modules and kernels, {@link ZeQueueCalls} queues, lists, events and fences). One static method per call,
 * every {@code ze_result_t} checked ({@link #check(int, String)} throws a {@link ZeException}
 * naming the function and the result), out-parameters and descriptors in per-call confined arenas.
 * Handles and USM pointers are {@code long}s.
 */
public final class LevelZero {
    /** {@code zeInit} flag: every driver (GPU and VPU). */
    public static final int INIT_ALL_DRIVERS = 0;
    /** {@code ze_device_type_t}: GPU. */
    public static final int DEVICE_TYPE_GPU = 1;
    /** {@code ze_device_type_t}: VPU (Intel NPU). */
    public static final int DEVICE_TYPE_VPU = 5;
    /** {@code ze_device_property_flag_t}: integrated with the host. */
    public static final int DEVICE_FLAG_INTEGRATED = 0x1;
    /** {@code ze_device_property_flag_t}: a sub-device (tile). */
    public static final int DEVICE_FLAG_SUBDEVICE = 0x2;
    /** {@code ze_command_queue_group_property_flag_t}: compute. */
    public static final int QUEUE_GROUP_COMPUTE = 0x1;
    /** {@code ze_command_queue_group_property_flag_t}: copy. */
    public static final int QUEUE_GROUP_COPY = 0x2;
    private static final int MAX_NAME = 256;

    /** Checks every {@code ze_result_t} of the Level Zero calls. */
    static final CheckedCalls CALLS = new CheckedCalls("Level Zero", ZeResults.SUCCESS, LevelZero::error);

    private LevelZero() {
    }

    /** The properties of a device xsched reads. */
    public record DeviceProperties(int type, int vendorId, int deviceId, int flags, String name, byte[] uuid,
            long maxMemAllocSize) {
    }

    /** The compute limits of a device. */
    public record ComputeProperties(int maxTotalGroupSize, int[] maxGroupSize, int[] maxGroupCount, int maxSharedLocalMemory) {
    }

    /** One command queue group of a device. */
    public record QueueGroup(int ordinal, int flags, int numQueues) {
        /** @return whether its queues run kernels */
        public boolean compute() {
            return (flags & QUEUE_GROUP_COMPUTE) != 0;
        }

        /** @return whether its queues run copies */
        public boolean copy() {
            return (flags & QUEUE_GROUP_COPY) != 0;
        }
    }

    /** @return the loader the handles were bound against */
    public static VendorLibrary library() {
        return ZeNative.library();
    }

    /** @return the entry points the loader lacks (every one when it is absent) */
    public static List<String> missingSymbols() {
        return ZeNative.missingSymbols();
    }

    /**
     * @param rc       a {@code ze_result_t}
     * @param function the function that returned it
     * @throws ZeException unless it is {@code ZE_RESULT_SUCCESS}
     */
    public static void check(int rc, String function) {
        CALLS.check(rc, function);
    }

    /** @return the exception for a failed call */
    public static ZeException error(int rc, String function, String detail) {
        return new ZeException(function, rc, ZeResults.name(rc), detail);
    }

    static RuntimeException rethrow(Throwable t) {
        return CALLS.rethrow(t);
    }

    /** @return {@code zeInit(flags)}'s result, unchecked: the caller says what a failure means */
    public static int init(int flags) {
        return CALLS.status(() -> (int) ZeNative.zeInit.invokeExact(flags));
    }

    /**
     * @return the driver handles
     * @throws ZeException when {@code zeDriverGet} fails
     */
    public static long[] drivers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) ZeNative.zeDriverGet.invokeExact(count, MemorySegment.NULL), "zeDriverGet");
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return new long[0];
            }
            MemorySegment handles = arena.allocate(JAVA_LONG, n);
            check((int) ZeNative.zeDriverGet.invokeExact(count, handles), "zeDriverGet");
            return handles.asSlice(0, 8L * count.get(JAVA_INT, 0)).toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the API version the driver supports, {@code major << 16 | minor} */
    public static int driverApiVersion(long driver) {
        return CALLS.intOut(version -> (int) ZeNative.zeDriverGetApiVersion.invokeExact(driver, version), "zeDriverGetApiVersion");
    }

    /** @return the driver's own version number ({@code ze_driver_properties_t.driverVersion}) */
    public static int driverVersion(long driver) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment props = ZeStructs.allocate(arena, DRIVER_PROPERTIES, ZeStructs.STYPE_DRIVER_PROPERTIES);
            check((int) ZeNative.zeDriverGetProperties.invokeExact(driver, props), "zeDriverGetProperties");
            return getInt(props, DRIVER_PROPERTIES, "driverVersion");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the driver's extensions as {@code name v<major>.<minor>} */
    public static List<String> driverExtensions(long driver) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) ZeNative.zeDriverGetExtensionProperties.invokeExact(driver, count, MemorySegment.NULL),
                    "zeDriverGetExtensionProperties");
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment props = arena.allocate(DRIVER_EXTENSION_PROPERTIES, n);
            check((int) ZeNative.zeDriverGetExtensionProperties.invokeExact(driver, count, props), "zeDriverGetExtensionProperties");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                MemorySegment p = props.asSlice(i * DRIVER_EXTENSION_PROPERTIES.byteSize(), DRIVER_EXTENSION_PROPERTIES.byteSize());
                int version = getInt(p, DRIVER_EXTENSION_PROPERTIES, "version");
                names.add(ZeStructs.getString(p, DRIVER_EXTENSION_PROPERTIES, "name", MAX_NAME) + " v" + (version >>> 16) + "."
                        + (version & 0xffff));
            }
            return names;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the driver's devices (root devices, not sub-devices) */
    public static long[] devices(long driver) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) ZeNative.zeDeviceGet.invokeExact(driver, count, MemorySegment.NULL), "zeDeviceGet");
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return new long[0];
            }
            MemorySegment handles = arena.allocate(JAVA_LONG, n);
            check((int) ZeNative.zeDeviceGet.invokeExact(driver, count, handles), "zeDeviceGet");
            return handles.asSlice(0, 8L * count.get(JAVA_INT, 0)).toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return what xsched reads of {@code ze_device_properties_t} */
    public static DeviceProperties deviceProperties(long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = ZeStructs.allocate(arena, DEVICE_PROPERTIES, ZeStructs.STYPE_DEVICE_PROPERTIES);
            check((int) ZeNative.zeDeviceGetProperties.invokeExact(device, p), "zeDeviceGetProperties");
            return new DeviceProperties(getInt(p, DEVICE_PROPERTIES, "type"), getInt(p, DEVICE_PROPERTIES, "vendorId"),
                    getInt(p, DEVICE_PROPERTIES, "deviceId"), getInt(p, DEVICE_PROPERTIES, "flags"),
                    ZeStructs.getString(p, DEVICE_PROPERTIES, "name", MAX_NAME),
                    p.asSlice(ZeStructs.offset(DEVICE_PROPERTIES, "uuid"), 16).toArray(JAVA_BYTE),
                    ZeStructs.getLong(p, DEVICE_PROPERTIES, "maxMemAllocSize"));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return what xsched reads of {@code ze_device_compute_properties_t} */
    public static ComputeProperties computeProperties(long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = ZeStructs.allocate(arena, DEVICE_COMPUTE_PROPERTIES, ZeStructs.STYPE_DEVICE_COMPUTE_PROPERTIES);
            check((int) ZeNative.zeDeviceGetComputeProperties.invokeExact(device, p), "zeDeviceGetComputeProperties");
            ToIntFunction<String> field = name -> getInt(p, DEVICE_COMPUTE_PROPERTIES, name);
            return new ComputeProperties(field.applyAsInt("maxTotalGroupSize"),
                    new int[] {field.applyAsInt("maxGroupSizeX"), field.applyAsInt("maxGroupSizeY"), field.applyAsInt("maxGroupSizeZ")},
                    new int[] {field.applyAsInt("maxGroupCountX"), field.applyAsInt("maxGroupCountY"), field.applyAsInt("maxGroupCountZ")},
                    field.applyAsInt("maxSharedLocalMemory"));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the device's command queue groups, by ordinal */
    public static List<QueueGroup> queueGroups(long device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) ZeNative.zeDeviceGetCommandQueueGroupProperties.invokeExact(device, count, MemorySegment.NULL),
                    "zeDeviceGetCommandQueueGroupProperties");
            int n = count.get(JAVA_INT, 0);
            MemorySegment props = ZeStructs.allocateArray(arena, COMMAND_QUEUE_GROUP_PROPERTIES,
                    ZeStructs.STYPE_COMMAND_QUEUE_GROUP_PROPERTIES, n);
            check((int) ZeNative.zeDeviceGetCommandQueueGroupProperties.invokeExact(device, count, props),
                    "zeDeviceGetCommandQueueGroupProperties");
            List<QueueGroup> groups = new ArrayList<>();
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                MemorySegment g = props.asSlice(i * COMMAND_QUEUE_GROUP_PROPERTIES.byteSize(), COMMAND_QUEUE_GROUP_PROPERTIES.byteSize());
                groups.add(new QueueGroup(i, getInt(g, COMMAND_QUEUE_GROUP_PROPERTIES, "flags"),
                        getInt(g, COMMAND_QUEUE_GROUP_PROPERTIES, "numQueues")));
            }
            return groups;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return a new context on the driver */
    public static long createContext(long driver) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.CONTEXT_DESC, ZeStructs.STYPE_CONTEXT_DESC);
            return CALLS.longOut(out -> (int) ZeNative.zeContextCreate.invokeExact(driver, desc, out), "zeContextCreate");
        }
    }

    /** Destroys a context; everything made in it must be gone. */
    public static void destroyContext(long context) {
        call(ZeNative.zeContextDestroy, context, "zeContextDestroy");
    }

    static void call(java.lang.invoke.MethodHandle handle, long object, String function) {
        CALLS.call(() -> (int) handle.invokeExact(object), function);
    }

    static int status(java.lang.invoke.MethodHandle handle, long object) {
        return CALLS.status(() -> (int) handle.invokeExact(object));
    }

    /** @return a USM device allocation of {@code bytes} bytes on {@code device} */
    public static long allocDevice(long context, long device, long bytes, long alignment) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.DEVICE_MEM_ALLOC_DESC, ZeStructs.STYPE_DEVICE_MEM_ALLOC_DESC);
            return CALLS.longOut(out -> (int) ZeNative.zeMemAllocDevice.invokeExact(context, desc, bytes, alignment, device, out),
                    "zeMemAllocDevice");
        }
    }

    /** @return a USM host allocation of {@code bytes} bytes, readable and writable by the host and the context's devices */
    public static long allocHost(long context, long bytes, long alignment) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.HOST_MEM_ALLOC_DESC, ZeStructs.STYPE_HOST_MEM_ALLOC_DESC);
            return CALLS.longOut(out -> (int) ZeNative.zeMemAllocHost.invokeExact(context, desc, bytes, alignment, out),
                    "zeMemAllocHost");
        }
    }

    /** Frees a USM allocation; the device must be done with it. */
    public static void free(long context, long pointer) {
        CALLS.call(() -> (int) ZeNative.zeMemFree.invokeExact(context, pointer), "zeMemFree");
    }
}
