package xsched.backend.hip;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.spi.hal.HwCommand;

/**
 * A command for an XQueue on an AMD GPU: built here with everything it needs captured, submitted
 * once to an XQueue on the same device, enqueued later on the queue's HIP stream. If enqueueing or
 * running it fails, {@link #failure()} says why (a {@link HipException} naming the call), and so
 * does the XQueue.
 */
public abstract sealed class HipCommand implements HwCommand permits KernelLaunch, MemoryCopy, MemorySet {
    private final HipDevice device;
    private final AtomicBoolean submitted = new AtomicBoolean();
    private volatile Throwable failure;

    HipCommand(HipDevice device) {
        this.device = Objects.requireNonNull(device, "device");
    }

    /** @return the device it was built for */
    public HipDevice device() {
        return device;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Records the first failure; later ones do not replace it. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** @throws IllegalStateException when a module or buffer it uses was closed */
    abstract void checkResources();

    static HipCommand admit(HwCommand command, HipDevice device) {
        HipCommand hc = forQueueOn(command, device);
        try {
            hc.checkResources();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("command '" + hc.describe() + "' cannot run: " + e.getMessage(), e);
        }
        if (!hc.submitted.compareAndSet(false, true)) {
            throw new IllegalArgumentException("command '" + hc.describe() + "' was already submitted; build a new one");
        }
        return hc;
    }

    static HipCommand forQueueOn(HwCommand command, HipDevice device) {
        if (!(command instanceof HipCommand hc)) {
            String type = command == null ? "null" : command.getClass().getName();
            if (command != null && Arrays.stream(HipCommand.class.getPermittedSubclasses()).anyMatch(c -> c.getName().equals(type))) {
                throw new IllegalArgumentException("command '" + command.describe() + "' (" + type + ") comes from another "
                        + "revision of the HIP backend bundle; refresh the bundles that import " + HipCommand.class.getPackageName());
            }
            throw new IllegalArgumentException("a HIP queue runs commands built by xsched.backend.hip (KernelLaunch, "
                    + "MemoryCopy, MemorySet), not " + type);
        }
        if (!hc.device.sameDevice(device)) {
            throw new IllegalArgumentException("command '" + hc.describe() + "' was built for " + hc.device.id()
                    + " but this queue runs on " + device.id());
        }
        return hc;
    }
}
