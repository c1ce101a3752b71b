package xsched.backend.levelzero.internal.ze;

import java.util.Map;

/** The names of {@code ze_result_t} codes, for messages (Level Zero API 1.4, loader 1.8.12). */
public final class ZeResults {
    /** Success. */
    public static final int SUCCESS = 0;
    /** A query or timed wait found the work not done yet. */
    public static final int NOT_READY = 1;
    /** The device hung or was reset. */
    public static final int ERROR_DEVICE_LOST = 0x70000001;
    /** A module did not build. */
    public static final int ERROR_MODULE_BUILD_FAILURE = 0x70000004;
    /** The driver is not initialized, or there is no driver. */
    public static final int ERROR_UNINITIALIZED = 0x78000001;
    /** The driver does not offer the entry point or feature. */
    public static final int ERROR_UNSUPPORTED_FEATURE = 0x78000003;
    /** No kernel of that name in the module. */
    public static final int ERROR_INVALID_KERNEL_NAME = 0x78000011;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "ZE_RESULT_SUCCESS"), Map.entry(1, "ZE_RESULT_NOT_READY"),
            Map.entry(0x70000001, "ZE_RESULT_ERROR_DEVICE_LOST"), Map.entry(0x70000002, "ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY"),
            Map.entry(0x70000003, "ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY"), Map.entry(0x70000004, "ZE_RESULT_ERROR_MODULE_BUILD_FAILURE"),
            Map.entry(0x70000005, "ZE_RESULT_ERROR_MODULE_LINK_FAILURE"), Map.entry(0x70000006, "ZE_RESULT_ERROR_DEVICE_REQUIRES_RESET"),
            Map.entry(0x70000007, "ZE_RESULT_ERROR_DEVICE_IN_LOW_POWER_STATE"),
            Map.entry(0x70010000, "ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS"), Map.entry(0x70010001, "ZE_RESULT_ERROR_NOT_AVAILABLE"),
            Map.entry(0x70020000, "ZE_RESULT_ERROR_DEPENDENCY_UNAVAILABLE"), Map.entry(0x70020001, "ZE_RESULT_WARNING_DROPPED_DATA"),
            Map.entry(0x78000001, "ZE_RESULT_ERROR_UNINITIALIZED"), Map.entry(0x78000002, "ZE_RESULT_ERROR_UNSUPPORTED_VERSION"),
            Map.entry(0x78000003, "ZE_RESULT_ERROR_UNSUPPORTED_FEATURE"), Map.entry(0x78000004, "ZE_RESULT_ERROR_INVALID_ARGUMENT"),
            Map.entry(0x78000005, "ZE_RESULT_ERROR_INVALID_NULL_HANDLE"), Map.entry(0x78000006, "ZE_RESULT_ERROR_HANDLE_OBJECT_IN_USE"),
            Map.entry(0x78000007, "ZE_RESULT_ERROR_INVALID_NULL_POINTER"), Map.entry(0x78000008, "ZE_RESULT_ERROR_INVALID_SIZE"),
            Map.entry(0x78000009, "ZE_RESULT_ERROR_UNSUPPORTED_SIZE"), Map.entry(0x7800000a, "ZE_RESULT_ERROR_UNSUPPORTED_ALIGNMENT"),
            Map.entry(0x7800000b, "ZE_RESULT_ERROR_INVALID_SYNCHRONIZATION_OBJECT"),
            Map.entry(0x7800000c, "ZE_RESULT_ERROR_INVALID_ENUMERATION"), Map.entry(0x7800000d, "ZE_RESULT_ERROR_UNSUPPORTED_ENUMERATION"),
            Map.entry(0x7800000e, "ZE_RESULT_ERROR_UNSUPPORTED_IMAGE_FORMAT"), Map.entry(0x7800000f, "ZE_RESULT_ERROR_INVALID_NATIVE_BINARY"),
            Map.entry(0x78000010, "ZE_RESULT_ERROR_INVALID_GLOBAL_NAME"), Map.entry(0x78000011, "ZE_RESULT_ERROR_INVALID_KERNEL_NAME"),
            Map.entry(0x78000012, "ZE_RESULT_ERROR_INVALID_FUNCTION_NAME"),
            Map.entry(0x78000013, "ZE_RESULT_ERROR_INVALID_GROUP_SIZE_DIMENSION"),
            Map.entry(0x78000014, "ZE_RESULT_ERROR_INVALID_GLOBAL_WIDTH_DIMENSION"),
            Map.entry(0x78000015, "ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_INDEX"),
            Map.entry(0x78000016, "ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_SIZE"),
            Map.entry(0x78000017, "ZE_RESULT_ERROR_INVALID_KERNEL_ATTRIBUTE_VALUE"),
            Map.entry(0x78000018, "ZE_RESULT_ERROR_INVALID_MODULE_UNLINKED"),
            Map.entry(0x78000019, "ZE_RESULT_ERROR_INVALID_COMMAND_LIST_TYPE"),
            Map.entry(0x7800001a, "ZE_RESULT_ERROR_OVERLAPPING_REGIONS"), Map.entry(0x7800001b, "ZE_RESULT_WARNING_ACTION_REQUIRED"),
            Map.entry(0x7ff00001, "ZE_RESULT_EXP_ERROR_DEVICE_IS_NOT_VERTEX"),
            Map.entry(0x7ff00002, "ZE_RESULT_EXP_ERROR_VERTEX_IS_NOT_DEVICE"),
            Map.entry(0x7ff00003, "ZE_RESULT_EXP_ERROR_REMOTE_DEVICE"), Map.entry(0x7ffffffe, "ZE_RESULT_ERROR_UNKNOWN"));

    private ZeResults() {
    }

    /** @param rc a {@code ze_result_t} @return its name, e.g. {@code ZE_RESULT_ERROR_DEVICE_LOST}, or a hex code for an unknown one */
    public static String name(int rc) {
        String name = NAMES.get(rc);
        return name != null ? name : "ze_result_t 0x" + Integer.toHexString(rc);
    }

    /** @param rc a {@code ze_result_t} @return the code as the header writes it, {@code 0x78000001} */
    public static String hex(int rc) {
        return "0x" + Integer.toHexString(rc);
    }
}
