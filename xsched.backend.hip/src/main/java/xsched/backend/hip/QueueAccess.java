package xsched.backend.hip;

import xsched.spi.hal.HwCommand;

/**
 * What the HIP backend's hardware queues may do to the objects of this package: check commands,
 * record their failures, make a device current. Applications have no use for it.
 *
 * <p>Why it is public: the queues live in the bundle's private packages, while this package may be
 * wired to an earlier revision of the bundle after an update without a refresh (it is exported as
 * substitutable); the new revision's queues then drive the old revision's commands through this class.
 */
public final class QueueAccess {
    private QueueAccess() {
    }

    /**
     * The submit-time check: a HIP command of this device, submitted once, its resources open.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HipCommand admit(HwCommand command, HipDevice device) {
        return HipCommand.admit(command, device);
    }

    /**
     * The launch-time check: a HIP command of this device.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HipCommand forQueueOn(HwCommand command, HipDevice device) {
        return HipCommand.forQueueOn(command, device);
    }

    /**
     * Right before enqueueing: what the command uses is still open.
     *
     * @throws IllegalStateException naming what was closed
     */
    public static void checkResources(HipCommand command) {
        command.checkResources();
    }

    /** Records why a command failed; the first failure stays. */
    public static void fail(HipCommand command, Throwable cause) {
        command.fail(cause);
    }

    /** Makes the device current on the calling thread ({@code hipSetDevice}). */
    public static void bind(HipDevice device) {
        device.bind();
    }
}
