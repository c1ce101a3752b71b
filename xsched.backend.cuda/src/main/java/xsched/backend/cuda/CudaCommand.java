package xsched.backend.cuda;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.spi.hal.HwCommand;

/**
 * A command for a CUDA XQueue: built here, submitted to an XQueue on the same GPU, launched later
 * onto the queue's stream by its launch worker. Everything the command needs is captured when it
 * is built. A command object is submitted once. If launching or running it fails, {@link
 * #failure()} says why (a {@link CudaException} naming the driver call), and so does the XQueue.
 */
public abstract sealed class CudaCommand implements HwCommand
        permits KernelLaunch, MemoryCopy, MemorySet, EventRecord, EventWait {
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
     * another GPU, commands submitted before and commands whose resources were released.
     *
     * @param command the submitted command
     * @param gpu     the queue's GPU
     * @return the command as a CUDA command
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    static CudaCommand admit(HwCommand command, CudaGpu gpu) {
        if (!(command instanceof CudaCommand cc)) {
            throw new IllegalArgumentException("a CUDA queue runs commands built by xsched.backend.cuda (KernelLaunch, "
                    + "MemoryCopy, MemorySet, EventRecord, EventWait), not "
                    + (command == null ? "null" : command.getClass().getName()));
        }
        if (cc.gpu != gpu) {
            throw new IllegalArgumentException("command '" + cc.describe() + "' was built for " + cc.gpu.id()
                    + " but this queue runs on " + gpu.id());
        }
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
}
