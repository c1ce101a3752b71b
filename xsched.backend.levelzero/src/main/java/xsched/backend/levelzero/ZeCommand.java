package xsched.backend.levelzero;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.spi.hal.HwCommand;

/**
 * A command for an XQueue on a Level Zero device: built here with everything it needs captured,
 * submitted once to an XQueue on the same device, appended later to the queue's command list. If
 * appending or running it fails, {@link #failure()} says why (a {@link ZeException} naming the
 * call), and so does the XQueue; the queue carries on.
 */
public abstract sealed class ZeCommand implements HwCommand permits KernelLaunch, MemoryCopy {
    private final ZeDevice device;
    private final AtomicBoolean submitted = new AtomicBoolean();
    private volatile Throwable failure;

    ZeCommand(ZeDevice device) {
        this.device = Objects.requireNonNull(device, "device");
    }

    /** @return the device it was built for */
    public ZeDevice device() {
        return device;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Records the first failure. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** @throws IllegalStateException when a resource it uses was closed */
    abstract void checkResources();

    /** Appends the command to {@code list} ({@code ze_command_list_handle_t}), without waiting. */
    abstract void append(long list);

    static ZeCommand admit(HwCommand command, ZeDevice device) {
        ZeCommand zc = forQueueOn(command, device);
        try {
            zc.checkResources();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("command '" + zc.describe() + "' cannot run: " + e.getMessage(), e);
        }
        if (!zc.submitted.compareAndSet(false, true)) {
            throw new IllegalArgumentException("command '" + zc.describe() + "' was already submitted; build a new one");
        }
        return zc;
    }

    static ZeCommand forQueueOn(HwCommand command, ZeDevice device) {
        if (!(command instanceof ZeCommand zc)) {
            String type = command == null ? "null" : command.getClass().getName();
            if (command != null && Arrays.stream(ZeCommand.class.getPermittedSubclasses()).anyMatch(c -> c.getName().equals(type))) {
                throw new IllegalArgumentException("command '" + command.describe() + "' (" + type + ") comes from another "
                        + "revision of the Level Zero backend bundle; refresh the bundles that import " + ZeCommand.class.getPackageName());
            }
            throw new IllegalArgumentException("a Level Zero queue runs commands built by xsched.backend.levelzero (KernelLaunch, "
                    + "MemoryCopy), not " + type);
        }
        if (zc.device != device) {
            throw new IllegalArgumentException("command '" + zc.describe() + "' was built for " + zc.device.id()
                    + " but this queue runs on " + device.id());
        }
        return zc;
    }
}
