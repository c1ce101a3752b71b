package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.CudaException;
import xsched.backend.cuda.internal.StreamQueue;
import xsched.backend.cuda.internal.ffm.CudaNative;

/** What needs no GPU: the unsupported path on a host without the driver, which driver errors mean "unsupported", the records. */
class SmPartitionsTest {
    @Test
    void withoutTheDriverTheDeviceIsUnsupportedWithTheReasonAndNothingThrows() {
        assumeFalse(CudaNative.library().present(), "this host has a CUDA driver; absence cannot be observed here");

        SmPartitions partitions = SmPartitions.probe(0);

        assertThat(partitions.unsupportedReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("green contexts unsupported because the CUDA driver library could not be loaded")
                .contains("libcuda.so.1"));
        assertThat(partitions.granularity()).isEmpty();
        assertThat(partitions.open(16)).isEmpty();
        assertThatThrownBy(() -> partitions.open(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a partition needs at least 1 SM, not 0");
        assertThat(partitions.toString()).contains("green contexts unsupported because");
    }

    @Test
    void notSupportedAndAnUnknownResourceTypeMeanUnsupportedOtherErrorsDoNot() {
        assertThat(SmPartitions.meansUnsupported(error(801, "CUDA_ERROR_NOT_SUPPORTED"))).isTrue();
        assertThat(SmPartitions.meansUnsupported(error(914, "CUDA_ERROR_INVALID_RESOURCE_TYPE"))).isTrue();
        assertThat(SmPartitions.meansUnsupported(error(915, "CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION"))).isFalse();
        assertThat(SmPartitions.meansUnsupported(error(1, "CUDA_ERROR_INVALID_VALUE"))).isFalse();
        assertThat(SmPartitions.meansUnsupported(error(101, "CUDA_ERROR_INVALID_DEVICE"))).isFalse();
    }

    @Test
    void aPartitionNamesItsSideAndStream() {
        SmPartition reserved = new SmPartition(16, true, MemorySegment.ofAddress(0xabc0), MemorySegment.ofAddress(0x10));

        assertThat(reserved.streamHandle()).isEqualTo(0xabc0);
        assertThat(reserved).hasToString("reserved 16 SMs, stream 0xabc0");
        assertThat(new SmPartition(116, false, MemorySegment.ofAddress(0xdef0), MemorySegment.ofAddress(0x20)))
                .hasToString("complement 116 SMs, stream 0xdef0");
        assertThatThrownBy(() -> new SmPartition(0, true, MemorySegment.ofAddress(1), MemorySegment.ofAddress(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQueueOverTheNullStreamIsRefused() {
        assertThatThrownBy(() -> StreamQueue.over(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NULL stream");
    }

    private static CudaException error(int code, String name) {
        return new CudaException("cuGreenCtxCreate", code, name, "", null);
    }
}
