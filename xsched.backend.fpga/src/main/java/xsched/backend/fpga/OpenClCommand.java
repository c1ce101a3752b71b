package xsched.backend.fpga;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.spi.hal.HwCommand;

/**
 * A command for an XQueue on an OpenCL device: built here with everything it needs captured,
 * submitted once to an XQueue on the same device, enqueued later on the queue's in-order command
 * queue. If enqueueing or running it fails, {@link #failure()} says why (an {@link
 * OpenClException} naming the call), and so does the XQueue; the queue carries on.
 */
public abstract sealed class OpenClCommand implements HwCommand permits NDRangeLaunch, BufferWrite, BufferRead, BufferCopy, Marker {
    private final OpenClDevice device;
    private final AtomicBoolean submitted = new AtomicBoolean();
    private volatile Throwable failure;

    OpenClCommand(OpenClDevice device) {
        this.device = Objects.requireNonNull(device, "device");
    }

    /** @return the device it was built for */
    public OpenClDevice device() {
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

    /** Enqueues the command on {@code queue} ({@code cl_command_queue}), without waiting. */
    abstract void enqueue(long queue);

    static OpenClCommand admit(HwCommand command, OpenClDevice device) {
        OpenClCommand oc = forQueueOn(command, device);
        try {
            oc.checkResources();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("command '" + oc.describe() + "' cannot run: " + e.getMessage(), e);
        }
        if (!oc.submitted.compareAndSet(false, true)) {
            throw new IllegalArgumentException("command '" + oc.describe() + "' was already submitted; build a new one");
        }
        return oc;
    }

    static OpenClCommand forQueueOn(HwCommand command, OpenClDevice device) {
        if (!(command instanceof OpenClCommand oc)) {
            String type = command == null ? "null" : command.getClass().getName();
            if (command != null && Arrays.stream(OpenClCommand.class.getPermittedSubclasses()).anyMatch(c -> c.getName().equals(type))) {
                throw new IllegalArgumentException("command '" + command.describe() + "' (" + type + ") comes from another "
                        + "revision of the OpenCL backend bundle; refresh the bundles that import " + OpenClCommand.class.getPackageName());
            }
            throw new IllegalArgumentException("an OpenCL queue runs commands built by xsched.backend.fpga (NDRangeLaunch, "
                    + "BufferWrite, BufferRead, BufferCopy, Marker), not " + type);
        }
        if (oc.device.context() != device.context()) {
            throw new IllegalArgumentException("command '" + oc.describe() + "' was built for " + oc.device.id()
                    + " but this queue runs on " + device.id());
        }
        return oc;
    }
}
