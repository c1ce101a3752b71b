package xsched.backend.fpga;

import xsched.spi.hal.HwCommand;

/**
 * What the OpenCL backend's hardware queues may do to the objects of this package: check and
 * enqueue commands, record their failures, reach a device's native handles. Applications have no
 * use for it.
 *
 * <p>Why it is public: the queues live in the bundle's private packages, while this package may be
 * wired to an earlier revision of the bundle after an update without a refresh (it is exported as
 * substitutable); the new revision's queues then drive the old revision's commands through this class.
 */
public final class QueueAccess {
    private QueueAccess() {
    }

    /**
     * The submit-time check: an OpenCL command of this device, submitted once, its resources open.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static OpenClCommand admit(HwCommand command, OpenClDevice device) {
        return OpenClCommand.admit(command, device);
    }

    /**
     * The launch-time check: an OpenCL command of this device.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static OpenClCommand forQueueOn(HwCommand command, OpenClDevice device) {
        return OpenClCommand.forQueueOn(command, device);
    }

    /** Enqueues a command on a {@code cl_command_queue} of its device. */
    public static void enqueue(OpenClCommand command, long queue) {
        command.enqueue(queue);
    }

    /** Records why a command failed; the first failure stays. */
    public static void fail(OpenClCommand command, Throwable cause) {
        command.fail(cause);
    }

    /** @return the device's {@code cl_context} */
    public static long context(OpenClDevice device) {
        return device.context();
    }

    /** @return the device's {@code cl_device_id} */
    public static long handle(OpenClDevice device) {
        return device.handle();
    }
}
