package xsched.backend.levelzero.internal.ze;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * The Level Zero structs this backend fills or reads, as {@code ze_api.h} of loader 1.8.12 (API 1.4)
 * lays them out on LP64: every struct with a {@code stype} starts {@code int stype; (4 bytes
 * padding) const void* pNext;}, enums and {@code uint32_t} are 4 bytes, {@code size_t},
 * {@code uint64_t} and pointers 8. Sizes and offsets are what gcc reports for that header
 * ({@code src/test/c/struct_layouts.c}, compared by {@code StructLayoutsAgainstHeaderTest} wherever
 * gcc and {@code libze-dev} are installed, and pinned by {@code ZeStructsTest}). Structs are
 * allocated zeroed with their {@code stype} set, so a field left alone is 0 and {@code pNext} null.
 */
public final class ZeStructs {
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_DRIVER_PROPERTIES = 0x1;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_DEVICE_PROPERTIES = 0x3;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_DEVICE_COMPUTE_PROPERTIES = 0x4;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_COMMAND_QUEUE_GROUP_PROPERTIES = 0x6;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_CONTEXT_DESC = 0xd;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_COMMAND_QUEUE_DESC = 0xe;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_COMMAND_LIST_DESC = 0xf;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_EVENT_POOL_DESC = 0x10;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_EVENT_DESC = 0x11;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_FENCE_DESC = 0x12;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_DEVICE_MEM_ALLOC_DESC = 0x15;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_HOST_MEM_ALLOC_DESC = 0x16;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_MODULE_DESC = 0x1b;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_KERNEL_DESC = 0x1d;
    /** {@code ze_structure_type_t} values. */
    public static final int STYPE_KERNEL_PROPERTIES = 0x1e;

    /** The common head: {@code stype}, padding, {@code pNext}. */
    private static MemoryLayout[] head(MemoryLayout... rest) {
        MemoryLayout[] all = new MemoryLayout[rest.length + 3];
        all[0] = JAVA_INT.withName("stype");
        all[1] = paddingLayout(4);
        all[2] = ADDRESS.withName("pNext");
        System.arraycopy(rest, 0, all, 3, rest.length);
        return all;
    }

    private static MemoryLayout u32(String name) {
        return JAVA_INT.withName(name);
    }

    private static MemoryLayout u64(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout bytes(String name, int n) {
        return sequenceLayout(n, JAVA_BYTE).withName(name);
    }

    /** {@code ze_driver_properties_t}, 40 bytes. */
    public static final StructLayout DRIVER_PROPERTIES = structLayout(head(bytes("uuid", 16), u32("driverVersion"),
            paddingLayout(4))).withName("ze_driver_properties_t");

    /** {@code ze_device_properties_t}, 368 bytes. */
    public static final StructLayout DEVICE_PROPERTIES = structLayout(head(u32("type"), u32("vendorId"), u32("deviceId"),
            u32("flags"), u32("subdeviceId"), u32("coreClockRate"), u64("maxMemAllocSize"), u32("maxHardwareContexts"),
            u32("maxCommandQueuePriority"), u32("numThreadsPerEU"), u32("physicalEUSimdWidth"), u32("numEUsPerSubslice"),
            u32("numSubslicesPerSlice"), u32("numSlices"), paddingLayout(4), u64("timerResolution"),
            u32("timestampValidBits"), u32("kernelTimestampValidBits"), bytes("uuid", 16), bytes("name", 256)))
            .withName("ze_device_properties_t");

    /** {@code ze_device_compute_properties_t}, 88 bytes. */
    public static final StructLayout DEVICE_COMPUTE_PROPERTIES = structLayout(head(u32("maxTotalGroupSize"),
            u32("maxGroupSizeX"), u32("maxGroupSizeY"), u32("maxGroupSizeZ"), u32("maxGroupCountX"), u32("maxGroupCountY"),
            u32("maxGroupCountZ"), u32("maxSharedLocalMemory"), u32("numSubGroupSizes"),
            sequenceLayout(8, JAVA_INT).withName("subGroupSizes"), paddingLayout(4)))
            .withName("ze_device_compute_properties_t");

    /** {@code ze_command_queue_group_properties_t}, 40 bytes. */
    public static final StructLayout COMMAND_QUEUE_GROUP_PROPERTIES = structLayout(head(u32("flags"), paddingLayout(4),
            u64("maxMemoryFillPatternSize"), u32("numQueues"), paddingLayout(4)))
            .withName("ze_command_queue_group_properties_t");

    /** {@code ze_context_desc_t}, 24 bytes. */
    public static final StructLayout CONTEXT_DESC = structLayout(head(u32("flags"), paddingLayout(4))).withName("ze_context_desc_t");

    /** {@code ze_command_queue_desc_t}, 40 bytes; also the {@code altdesc} of an immediate command list. */
    public static final StructLayout COMMAND_QUEUE_DESC = structLayout(head(u32("ordinal"), u32("index"), u32("flags"),
            u32("mode"), u32("priority"), paddingLayout(4))).withName("ze_command_queue_desc_t");

    /** {@code ze_command_list_desc_t}, 24 bytes. */
    public static final StructLayout COMMAND_LIST_DESC = structLayout(head(u32("commandQueueGroupOrdinal"), u32("flags")))
            .withName("ze_command_list_desc_t");

    /** {@code ze_event_pool_desc_t}, 24 bytes. */
    public static final StructLayout EVENT_POOL_DESC = structLayout(head(u32("flags"), u32("count"))).withName("ze_event_pool_desc_t");

    /** {@code ze_event_desc_t}, 32 bytes. */
    public static final StructLayout EVENT_DESC = structLayout(head(u32("index"), u32("signal"), u32("wait"), paddingLayout(4)))
            .withName("ze_event_desc_t");

    /** {@code ze_fence_desc_t}, 24 bytes. */
    public static final StructLayout FENCE_DESC = structLayout(head(u32("flags"), paddingLayout(4))).withName("ze_fence_desc_t");

    /** {@code ze_device_mem_alloc_desc_t}, 24 bytes. */
    public static final StructLayout DEVICE_MEM_ALLOC_DESC = structLayout(head(u32("flags"), u32("ordinal")))
            .withName("ze_device_mem_alloc_desc_t");

    /** {@code ze_host_mem_alloc_desc_t}, 24 bytes. */
    public static final StructLayout HOST_MEM_ALLOC_DESC = structLayout(head(u32("flags"), paddingLayout(4)))
            .withName("ze_host_mem_alloc_desc_t");

    /** {@code ze_module_desc_t}, 56 bytes. */
    public static final StructLayout MODULE_DESC = structLayout(head(u32("format"), paddingLayout(4), u64("inputSize"),
            ADDRESS.withName("pInputModule"), ADDRESS.withName("pBuildFlags"), ADDRESS.withName("pConstants")))
            .withName("ze_module_desc_t");

    /** {@code ze_kernel_desc_t}, 32 bytes. */
    public static final StructLayout KERNEL_DESC = structLayout(head(u32("flags"), paddingLayout(4), ADDRESS.withName("pKernelName")))
            .withName("ze_kernel_desc_t");

    /** {@code ze_kernel_properties_t}, 96 bytes. */
    public static final StructLayout KERNEL_PROPERTIES = structLayout(head(u32("numKernelArgs"), u32("requiredGroupSizeX"),
            u32("requiredGroupSizeY"), u32("requiredGroupSizeZ"), u32("requiredNumSubGroups"), u32("requiredSubgroupSize"),
            u32("maxSubgroupSize"), u32("maxNumSubgroups"), u32("localMemSize"), u32("privateMemSize"), u32("spillMemSize"),
            bytes("uuid", 32), paddingLayout(4))).withName("ze_kernel_properties_t");

    /** {@code ze_group_count_t}, 12 bytes, no {@code stype}. */
    public static final StructLayout GROUP_COUNT = structLayout(u32("groupCountX"), u32("groupCountY"), u32("groupCountZ"))
            .withName("ze_group_count_t");

    /** {@code ze_driver_extension_properties_t}, 260 bytes, no {@code stype}. */
    public static final StructLayout DRIVER_EXTENSION_PROPERTIES = structLayout(bytes("name", 256), u32("version"))
            .withName("ze_driver_extension_properties_t");

    /** Every layout, for the layout tests. */
    public static final List<StructLayout> ALL = List.of(DRIVER_PROPERTIES, DEVICE_PROPERTIES, DEVICE_COMPUTE_PROPERTIES,
            COMMAND_QUEUE_GROUP_PROPERTIES, CONTEXT_DESC, COMMAND_QUEUE_DESC, COMMAND_LIST_DESC, EVENT_POOL_DESC, EVENT_DESC,
            FENCE_DESC, DEVICE_MEM_ALLOC_DESC, HOST_MEM_ALLOC_DESC, MODULE_DESC, KERNEL_DESC, KERNEL_PROPERTIES, GROUP_COUNT,
            DRIVER_EXTENSION_PROPERTIES);

    private ZeStructs() {
    }

    /** @param layout a struct @param field one of its named fields @return the field's byte offset */
    public static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** @return a zeroed struct of {@code layout} with {@code stype} set */
    static MemorySegment allocate(Arena arena, StructLayout layout, int stype) {
        MemorySegment s = arena.allocate(layout);
        s.set(JAVA_INT, 0, stype);
        return s;
    }

    /** @return a zeroed array of {@code count} structs of {@code layout}, each with {@code stype} set */
    static MemorySegment allocateArray(Arena arena, StructLayout layout, int stype, int count) {
        MemorySegment array = arena.allocate(layout, Math.max(1, count));
        for (int i = 0; i < count; i++) {
            array.set(JAVA_INT, i * layout.byteSize(), stype);
        }
        return array;
    }

    static int getInt(MemorySegment s, StructLayout layout, String field) {
        return s.get(JAVA_INT, offset(layout, field));
    }

    static long getLong(MemorySegment s, StructLayout layout, String field) {
        return s.get(JAVA_LONG, offset(layout, field));
    }

    static void setInt(MemorySegment s, StructLayout layout, String field, int value) {
        s.set(JAVA_INT, offset(layout, field), value);
    }

    static void setLong(MemorySegment s, StructLayout layout, String field, long value) {
        s.set(JAVA_LONG, offset(layout, field), value);
    }

    static void setAddress(MemorySegment s, StructLayout layout, String field, MemorySegment value) {
        s.set(ADDRESS, offset(layout, field), value);
    }

    /** @return a NUL-terminated string field of at most {@code max} bytes */
    static String getString(MemorySegment s, StructLayout layout, String field, int max) {
        MemorySegment text = s.asSlice(offset(layout, field), max);
        int n = 0;
        while (n < max && text.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(text.asSlice(0, n).toArray(JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }
}
