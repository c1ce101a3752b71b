package xsched.backend.cuda;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.spi.hal.HwCommand;

/**
 * A command for a CUDA XQueue: built here, submitted to an XQueue on the same GPU, launched later
 * onto the queue's stream by its launch worker. Everything the command needs is captured when it
 * is built. A command object is submitted once. If launching or running it fails, {@link
 * #failure()} says why (a {@link CudaException} naming the driver call), and so does the XQueue.
 */
public abstract sealed class CudaCommand implements HwCommand
        permits KernelLaunch, MemoryCopy, MemorySet, EventCommand, ApplicationCall {
    private final CudaGpu gpu;
    private final AtomicBoolean submitted = new AtomicBoolean();
    private volatile Throwable failure;

    CudaCommand(CudaGpu gpu) {
        this.gpu = Objects.requireNonNull(gpu, "gpu");
    }

    /** @return the GPU the command was built for */
    public CudaGpu gpu() {
        return gpu;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Records the first failure; later ones (e.g. a sticky context error) do not replace it. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** @throws IllegalStateException when a buffer, module or event it uses was released */
    abstract void checkResources();

    /** Enqueues the command on {@code stream}; the primary context is current. */
    abstract void enqueue(long stream, LaunchScratch scratch);

    /**
     * What a CUDA queue on {@code gpu} does at submit time: rejects foreign commands, commands for
     * another GPU, commands submitted before and commands whose resources were released. A command
     * built with another {@link CudaGpu} object of the same device and primary context (a retired
     * platform's, after a backend swap) is this GPU's.
     *
     * @param command the submitted command
     * @param gpu     the queue's GPU
     * @return the command as a CUDA command
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    static CudaCommand admit(HwCommand command, CudaGpu gpu) {
        CudaCommand cc = forQueueOn(command, gpu);
        try {
            cc.checkResources();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("command '" + cc.describe() + "' cannot run: " + e.getMessage(), e);
        }
        if (!cc.submitted.compareAndSet(false, true)) {
            throw new IllegalArgumentException("command '" + cc.describe() + "' was already submitted; build a new one");
        }
        return cc;
    }

    /**
     * What a CUDA queue on {@code gpu} checks before launching: that the command is a CUDA command
     * for this device and primary context (the core launches commands submitted while a queue had
     * no backend without asking {@code accept} first).
     *
     * @param command a command to launch
     * @param gpu     the queue's GPU
     * @return the command as a CUDA command
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    static CudaCommand forQueueOn(HwCommand command, CudaGpu gpu) {
        if (!(command instanceof CudaCommand cc)) {
            throw new IllegalArgumentException(notCuda(command));
        }
        if (!cc.gpu.sharesContextWith(gpu)) {
            throw new IllegalArgumentException(cc.gpu.ordinal() != gpu.ordinal()
                    ? "command '" + cc.describe() + "' was built for " + cc.gpu.id() + " but this queue runs on " + gpu.id()
                    : "command '" + cc.describe() + "' was built in another primary context of " + gpu.id()
                    + " (one released since, with everything made in it); build it again with this backend's resources");
        }
        return cc;
    }

    /** A command class of this name that is not ours was loaded by another revision of this bundle. */
    private static String notCuda(HwCommand command) {
        String type = command == null ? "null" : command.getClass().getName();
        if (command != null && Arrays.stream(CudaCommand.class.getPermittedSubclasses()).anyMatch(c -> c.getName().equals(type))) {
            return "command '" + command.describe() + "' (" + type + ") comes from another revision of the CUDA backend "
                    + "bundle, whose classes this one cannot run: the bundle was updated and the application still uses "
                    + "the old revision's classes; refresh the bundles that import " + CudaCommand.class.getPackageName();
        }
        return "a CUDA queue runs commands built by xsched.backend.cuda (KernelLaunch, MemoryCopy, MemorySet, "
                + "EventRecord, EventWait), not " + type;
    }
}
