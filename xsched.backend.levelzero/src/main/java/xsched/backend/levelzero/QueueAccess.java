package xsched.backend.levelzero;

import xsched.spi.hal.HwCommand;

/**
 * What the Level Zero hardware queues may do to the objects of this package: check and append
 * commands, record their failures, reach a device's native handles and keep its context alive.
 * Applications have no use for it.
 *
 * <p>Why it is public: the queues live in private packages — of this bundle, and copied into the
 * NPU backend bundle, which imports this package — while this package may be wired to an earlier
 * revision of the bundle after an update without a refresh (it is exported as substitutable); the
 * queues then drive that revision's commands through this class.
 */
public final class QueueAccess {
    private QueueAccess() {
    }

    /**
     * The submit-time check: a Level Zero command of this device, submitted once, its resources open.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ZeCommand admit(HwCommand command, ZeDevice device) {
        return ZeCommand.admit(command, device);
    }

    /**
     * The launch-time check: a Level Zero command of this device.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ZeCommand forQueueOn(HwCommand command, ZeDevice device) {
        return ZeCommand.forQueueOn(command, device);
    }

    /** Appends a command to a {@code ze_command_list_handle_t} of its device. */
    public static void append(ZeCommand command, long list) {
        command.append(list);
    }

    /** Records why a command failed; the first failure stays. */
    public static void fail(ZeCommand command, Throwable cause) {
        command.fail(cause);
    }

    /** @return the device's {@code ze_context_handle_t} */
    public static long context(ZeDevice device) {
        return device.context();
    }

    /** @return the device's {@code ze_device_handle_t} */
    public static long handle(ZeDevice device) {
        return device.handle();
    }

    /** @return the ordinal of the command queue group the device's queues use (compute, else copy) */
    public static int queueOrdinal(ZeDevice device) {
        return device.ordinal();
    }

    /**
     * Keeps the device's context alive for a hardware queue until {@link #release(ZeDevice)}.
     *
     * @throws IllegalStateException when the device was closed
     */
    public static void acquire(ZeDevice device) {
        device.acquire();
    }

    /** A hardware queue let go of the device. */
    public static void release(ZeDevice device) {
        device.release();
    }
}
