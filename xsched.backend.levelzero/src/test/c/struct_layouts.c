/*
 * Prints the size, alignment and field offsets of every Level Zero struct xsched.backend.levelzero
 * lays out in Java (internal/ze/ZeStructs.java), as gcc sees them in the installed ze_api.h
 * (Debian libze-dev). StructLayoutsAgainstHeaderTest compiles and runs this and compares.
 * Output lines: "S <struct> <size> <align>" and "F <struct> <field> <offset>".
 */
#include <stddef.h>
#include <stdio.h>
#include <level_zero/ze_api.h>

#define S(t) printf("S %s %zu %zu\n", #t, sizeof(t), _Alignof(t))
#define F(t, f) printf("F %s %s %zu\n", #t, #f, offsetof(t, f))
#define HEAD(t) F(t, stype); F(t, pNext)

int main(void) {
    S(ze_driver_properties_t); HEAD(ze_driver_properties_t);
    F(ze_driver_properties_t, uuid); F(ze_driver_properties_t, driverVersion);

    S(ze_device_properties_t); HEAD(ze_device_properties_t);
    F(ze_device_properties_t, type); F(ze_device_properties_t, vendorId); F(ze_device_properties_t, deviceId);
    F(ze_device_properties_t, flags); F(ze_device_properties_t, subdeviceId); F(ze_device_properties_t, coreClockRate);
    F(ze_device_properties_t, maxMemAllocSize); F(ze_device_properties_t, maxHardwareContexts);
    F(ze_device_properties_t, maxCommandQueuePriority); F(ze_device_properties_t, numThreadsPerEU);
    F(ze_device_properties_t, physicalEUSimdWidth); F(ze_device_properties_t, numEUsPerSubslice);
    F(ze_device_properties_t, numSubslicesPerSlice); F(ze_device_properties_t, numSlices);
    F(ze_device_properties_t, timerResolution); F(ze_device_properties_t, timestampValidBits);
    F(ze_device_properties_t, kernelTimestampValidBits); F(ze_device_properties_t, uuid); F(ze_device_properties_t, name);

    S(ze_device_compute_properties_t); HEAD(ze_device_compute_properties_t);
    F(ze_device_compute_properties_t, maxTotalGroupSize); F(ze_device_compute_properties_t, maxGroupSizeX);
    F(ze_device_compute_properties_t, maxGroupSizeY); F(ze_device_compute_properties_t, maxGroupSizeZ);
    F(ze_device_compute_properties_t, maxGroupCountX); F(ze_device_compute_properties_t, maxGroupCountY);
    F(ze_device_compute_properties_t, maxGroupCountZ); F(ze_device_compute_properties_t, maxSharedLocalMemory);
    F(ze_device_compute_properties_t, numSubGroupSizes); F(ze_device_compute_properties_t, subGroupSizes);

    S(ze_command_queue_group_properties_t); HEAD(ze_command_queue_group_properties_t);
    F(ze_command_queue_group_properties_t, flags); F(ze_command_queue_group_properties_t, maxMemoryFillPatternSize);
    F(ze_command_queue_group_properties_t, numQueues);

    S(ze_context_desc_t); HEAD(ze_context_desc_t); F(ze_context_desc_t, flags);

    S(ze_command_queue_desc_t); HEAD(ze_command_queue_desc_t);
    F(ze_command_queue_desc_t, ordinal); F(ze_command_queue_desc_t, index); F(ze_command_queue_desc_t, flags);
    F(ze_command_queue_desc_t, mode); F(ze_command_queue_desc_t, priority);

    S(ze_command_list_desc_t); HEAD(ze_command_list_desc_t);
    F(ze_command_list_desc_t, commandQueueGroupOrdinal); F(ze_command_list_desc_t, flags);

    S(ze_event_pool_desc_t); HEAD(ze_event_pool_desc_t); F(ze_event_pool_desc_t, flags); F(ze_event_pool_desc_t, count);

    S(ze_event_desc_t); HEAD(ze_event_desc_t);
    F(ze_event_desc_t, index); F(ze_event_desc_t, signal); F(ze_event_desc_t, wait);

    S(ze_fence_desc_t); HEAD(ze_fence_desc_t); F(ze_fence_desc_t, flags);

    S(ze_device_mem_alloc_desc_t); HEAD(ze_device_mem_alloc_desc_t);
    F(ze_device_mem_alloc_desc_t, flags); F(ze_device_mem_alloc_desc_t, ordinal);

    S(ze_host_mem_alloc_desc_t); HEAD(ze_host_mem_alloc_desc_t); F(ze_host_mem_alloc_desc_t, flags);

    S(ze_module_desc_t); HEAD(ze_module_desc_t);
    F(ze_module_desc_t, format); F(ze_module_desc_t, inputSize); F(ze_module_desc_t, pInputModule);
    F(ze_module_desc_t, pBuildFlags); F(ze_module_desc_t, pConstants);

    S(ze_kernel_desc_t); HEAD(ze_kernel_desc_t); F(ze_kernel_desc_t, flags); F(ze_kernel_desc_t, pKernelName);

    S(ze_kernel_properties_t); HEAD(ze_kernel_properties_t);
    F(ze_kernel_properties_t, numKernelArgs); F(ze_kernel_properties_t, requiredGroupSizeX);
    F(ze_kernel_properties_t, requiredGroupSizeY); F(ze_kernel_properties_t, requiredGroupSizeZ);
    F(ze_kernel_properties_t, requiredNumSubGroups); F(ze_kernel_properties_t, requiredSubgroupSize);
    F(ze_kernel_properties_t, maxSubgroupSize); F(ze_kernel_properties_t, maxNumSubgroups);
    F(ze_kernel_properties_t, localMemSize); F(ze_kernel_properties_t, privateMemSize);
    F(ze_kernel_properties_t, spillMemSize); F(ze_kernel_properties_t, uuid);

    S(ze_group_count_t);
    F(ze_group_count_t, groupCountX); F(ze_group_count_t, groupCountY); F(ze_group_count_t, groupCountZ);

    S(ze_driver_extension_properties_t);
    F(ze_driver_extension_properties_t, name); F(ze_driver_extension_properties_t, version);
    return 0;
}
