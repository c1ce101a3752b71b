package xsched.backend.cuda.internal.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The {@code CUdevResource} layout against what gcc reports for {@code cuda.h} 13.0
 * ({@code sizeof} 144, {@code alignof} 4, {@code sm} at 96, its fields at 96, 100 and 104).
 */
class CudaDevResourceTest {
    @Test
    void theLayoutMatchesTheCompiledHeader() {
        assertThat(CudaDevResource.LAYOUT.byteSize()).isEqualTo(144);
        assertThat(CudaDevResource.LAYOUT.byteAlignment()).isEqualTo(4);
        assertThat(CudaDevResource.TYPE).isZero();
        assertThat(CudaDevResource.SM_COUNT).isEqualTo(96);
        assertThat(CudaDevResource.MIN_SM_PARTITION_SIZE).isEqualTo(100);
        assertThat(CudaDevResource.SM_COSCHEDULED_ALIGNMENT).isEqualTo(104);
    }

    @Test
    void anArrayOfStructsIsContiguousAndZeroed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = CudaDevResource.allocate(arena, 2);
            assertThat(array.byteSize()).isEqualTo(288);
            MemorySegment second = CudaDevResource.at(array, 1);
            second.set(ValueLayout.JAVA_INT, 0, CudaDevResource.TYPE_SM);
            second.set(ValueLayout.JAVA_INT, 96, 16);
            second.set(ValueLayout.JAVA_INT, 100, 8);
            second.set(ValueLayout.JAVA_INT, 104, 8);

            assertThat(array.get(ValueLayout.JAVA_INT, 144 + 96)).isEqualTo(16);
            assertThat(CudaDevResource.type(second)).isEqualTo(CudaDevResource.TYPE_SM);
            assertThat(CudaDevResource.smCount(second)).isEqualTo(16);
            assertThat(CudaDevResource.minSmPartitionSize(second)).isEqualTo(8);
            assertThat(CudaDevResource.smCoscheduledAlignment(second)).isEqualTo(8);
            MemorySegment first = CudaDevResource.at(array, 0);
            assertThat(CudaDevResource.type(first)).isZero();
            assertThat(CudaDevResource.minSmPartitionSize(first)).as("what an older driver leaves unwritten").isZero();
        }
    }
}
