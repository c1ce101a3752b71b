package xsched.backend.levelzero.internal.ze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The struct layouts against what gcc reported for {@code ze_api.h} of Debian {@code libze-dev}
 * 1.8.12 on x86-64 ({@code src/test/c/struct_layouts.c}); {@link StructLayoutsAgainstHeaderTest}
 * checks them against the header itself wherever gcc and the header are installed.
 */
class ZeStructsTest {
    @Test
    void sizesMatchTheHeader() {
        assertThat(ZeStructs.DRIVER_PROPERTIES.byteSize()).isEqualTo(40);
        assertThat(ZeStructs.DEVICE_PROPERTIES.byteSize()).isEqualTo(368);
        assertThat(ZeStructs.DEVICE_COMPUTE_PROPERTIES.byteSize()).isEqualTo(88);
        assertThat(ZeStructs.COMMAND_QUEUE_GROUP_PROPERTIES.byteSize()).isEqualTo(40);
        assertThat(ZeStructs.CONTEXT_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.COMMAND_QUEUE_DESC.byteSize()).isEqualTo(40);
        assertThat(ZeStructs.COMMAND_LIST_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.EVENT_POOL_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.EVENT_DESC.byteSize()).isEqualTo(32);
        assertThat(ZeStructs.FENCE_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.DEVICE_MEM_ALLOC_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.HOST_MEM_ALLOC_DESC.byteSize()).isEqualTo(24);
        assertThat(ZeStructs.MODULE_DESC.byteSize()).isEqualTo(56);
        assertThat(ZeStructs.KERNEL_DESC.byteSize()).isEqualTo(32);
        assertThat(ZeStructs.KERNEL_PROPERTIES.byteSize()).isEqualTo(96);
        assertThat(ZeStructs.GROUP_COUNT.byteSize()).isEqualTo(12);
        assertThat(ZeStructs.DRIVER_EXTENSION_PROPERTIES.byteSize()).isEqualTo(260);
    }

    @Test
    void theFieldsXschedReadsAndWritesAreWhereGccPutsThem() {
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "pNext")).isEqualTo(8);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "type")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "vendorId")).isEqualTo(20);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "deviceId")).isEqualTo(24);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "flags")).isEqualTo(28);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "maxMemAllocSize")).isEqualTo(40);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "timerResolution")).isEqualTo(80);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "uuid")).isEqualTo(96);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_PROPERTIES, "name")).isEqualTo(112);
        assertThat(ZeStructs.offset(ZeStructs.DRIVER_PROPERTIES, "driverVersion")).isEqualTo(32);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_COMPUTE_PROPERTIES, "maxTotalGroupSize")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_COMPUTE_PROPERTIES, "maxGroupCountZ")).isEqualTo(40);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_COMPUTE_PROPERTIES, "subGroupSizes")).isEqualTo(52);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_GROUP_PROPERTIES, "flags")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_GROUP_PROPERTIES, "maxMemoryFillPatternSize")).isEqualTo(24);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_GROUP_PROPERTIES, "numQueues")).isEqualTo(32);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_DESC, "ordinal")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_DESC, "mode")).isEqualTo(28);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_QUEUE_DESC, "priority")).isEqualTo(32);
        assertThat(ZeStructs.offset(ZeStructs.COMMAND_LIST_DESC, "commandQueueGroupOrdinal")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.EVENT_POOL_DESC, "count")).isEqualTo(20);
        assertThat(ZeStructs.offset(ZeStructs.EVENT_DESC, "signal")).isEqualTo(20);
        assertThat(ZeStructs.offset(ZeStructs.EVENT_DESC, "wait")).isEqualTo(24);
        assertThat(ZeStructs.offset(ZeStructs.DEVICE_MEM_ALLOC_DESC, "ordinal")).isEqualTo(20);
        assertThat(ZeStructs.offset(ZeStructs.MODULE_DESC, "inputSize")).isEqualTo(24);
        assertThat(ZeStructs.offset(ZeStructs.MODULE_DESC, "pInputModule")).isEqualTo(32);
        assertThat(ZeStructs.offset(ZeStructs.MODULE_DESC, "pBuildFlags")).isEqualTo(40);
        assertThat(ZeStructs.offset(ZeStructs.MODULE_DESC, "pConstants")).isEqualTo(48);
        assertThat(ZeStructs.offset(ZeStructs.KERNEL_DESC, "pKernelName")).isEqualTo(24);
        assertThat(ZeStructs.offset(ZeStructs.KERNEL_PROPERTIES, "numKernelArgs")).isEqualTo(16);
        assertThat(ZeStructs.offset(ZeStructs.KERNEL_PROPERTIES, "requiredGroupSizeZ")).isEqualTo(28);
        assertThat(ZeStructs.offset(ZeStructs.KERNEL_PROPERTIES, "uuid")).isEqualTo(60);
        assertThat(ZeStructs.offset(ZeStructs.GROUP_COUNT, "groupCountZ")).isEqualTo(8);
        assertThat(ZeStructs.offset(ZeStructs.DRIVER_EXTENSION_PROPERTIES, "version")).isEqualTo(256);
    }

    @Test
    void resultNamesAreTheHeadersOnes() {
        assertThat(ZeResults.name(0x78000001)).isEqualTo("ZE_RESULT_ERROR_UNINITIALIZED");
        assertThat(ZeResults.name(0x70000001)).isEqualTo("ZE_RESULT_ERROR_DEVICE_LOST");
        assertThat(ZeResults.name(1)).isEqualTo("ZE_RESULT_NOT_READY");
        assertThat(ZeResults.name(0x12345)).isEqualTo("ze_result_t 0x12345");
        assertThat(LevelZero.error(0x78000003, "zeCommandListCreateImmediate", null))
                .hasMessage("zeCommandListCreateImmediate failed: ZE_RESULT_ERROR_UNSUPPORTED_FEATURE (0x78000003)");
    }
}
