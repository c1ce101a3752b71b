package xsched.backend.cuda.internal.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code CUdevResource} (resource ABI version 1, {@code cuda.h} of CUDA 12.4 to 13.0): a tagged
 * union the driver fills and reads back, 144 bytes, 4-byte aligned.
 *
 * <pre>
 * offset  type                        field
 *   0     CUdevResourceType (int)     type                    1 = CU_DEV_RESOURCE_TYPE_SM
 *   4     unsigned char[92]           _internal_padding       the driver's own data: copy whole structs, never rebuild them
 *  96     unsigned int                sm.smCount
 * 100     unsigned int                sm.minSmPartitionSize   0 from drivers that predate the field
 * 104     unsigned int                sm.smCoscheduledAlignment  0 likewise
 * 108     (rest of the 48-byte union)
 * </pre>
 *
 * Offsets as gcc reports them for {@code cuda.h} 13.0 (see the tests). Memory for these structs
 * is zeroed when allocated, so a field an older driver does not write reads 0.
 */
public final class CudaDevResource {
    /** {@code CUdevResourceType}: streaming multiprocessors. */
    public static final int TYPE_SM = 1;

    /** The struct; the padding and the union's tail are opaque. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            MemoryLayout.paddingLayout(92),
            MemoryLayout.structLayout(
                    JAVA_INT.withName("smCount"),
                    JAVA_INT.withName("minSmPartitionSize"),
                    JAVA_INT.withName("smCoscheduledAlignment"),
                    MemoryLayout.paddingLayout(36)).withName("sm"))
            .withName("CUdevResource");

    /** Offset of {@code type}. */
    public static final long TYPE = LAYOUT.byteOffset(groupElement("type"));
    /** Offset of {@code sm.smCount}. */
    public static final long SM_COUNT = LAYOUT.byteOffset(groupElement("sm"), groupElement("smCount"));
    /** Offset of {@code sm.minSmPartitionSize}. */
    public static final long MIN_SM_PARTITION_SIZE = LAYOUT.byteOffset(groupElement("sm"), groupElement("minSmPartitionSize"));
    /** Offset of {@code sm.smCoscheduledAlignment}. */
    public static final long SM_COSCHEDULED_ALIGNMENT = LAYOUT.byteOffset(groupElement("sm"), groupElement("smCoscheduledAlignment"));

    private CudaDevResource() {
    }

    /** @param arena where @param count structs @return {@code count} zeroed structs, contiguous (a C array) */
    public static MemorySegment allocate(Arena arena, int count) {
        return arena.allocate(LAYOUT, count);
    }

    /** @param array a C array of structs @param index which @return that struct */
    public static MemorySegment at(MemorySegment array, int index) {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
    }

    /** @param resource a struct @return its {@code type} */
    public static int type(MemorySegment resource) {
        return resource.get(JAVA_INT, TYPE);
    }

    /** @param resource an SM resource @return {@code sm.smCount} */
    public static int smCount(MemorySegment resource) {
        return resource.get(JAVA_INT, SM_COUNT);
    }

    /** @param resource an SM resource @return {@code sm.minSmPartitionSize}, 0 where the driver does not fill it */
    public static int minSmPartitionSize(MemorySegment resource) {
        return resource.get(JAVA_INT, MIN_SM_PARTITION_SIZE);
    }

    /** @param resource an SM resource @return {@code sm.smCoscheduledAlignment}, 0 where the driver does not fill it */
    public static int smCoscheduledAlignment(MemorySegment resource) {
        return resource.get(JAVA_INT, SM_COSCHEDULED_ALIGNMENT);
    }
}
