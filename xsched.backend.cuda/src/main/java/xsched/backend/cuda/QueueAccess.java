package xsched.backend.cuda;

import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwCommand;

/**
 * What the CUDA backend's hardware queues may do to the objects of this package: check and launch
 * commands, record their failures, bind a GPU's context and register queues with it. Applications
 * have no use for it.
 *
 * <p>Why it is public: the queues live in the bundle's private packages, while this package may be
 * wired to an earlier revision of the bundle after an update without a refresh (it is exported as
 * substitutable). The queues of the new revision then drive the old revision's command classes
 * through this class of that revision, never through members they could not reach.
 */
public final class QueueAccess {
    private QueueAccess() {
    }

    /**
     * The submit-time check of a queue on {@code gpu}: a CUDA command of this device and primary
     * context, submitted once, whose resources are all open.
     *
     * @param command the submitted command
     * @param gpu     the queue's GPU
     * @return the command as a CUDA command
     * @throws IllegalArgumentException saying what is wrong
     */
    public static CudaCommand admit(HwCommand command, CudaGpu gpu) {
        return CudaCommand.admit(command, gpu);
    }

    /**
     * The launch-time check: a CUDA command of this device and primary context.
     *
     * @param command a command about to be launched
     * @param gpu     the queue's GPU
     * @return the command as a CUDA command
     * @throws IllegalArgumentException saying what is wrong
     */
    public static CudaCommand forQueueOn(HwCommand command, CudaGpu gpu) {
        return CudaCommand.forQueueOn(command, gpu);
    }

    /**
     * Enqueues a command on a stream of its GPU's primary context, which is current.
     *
     * @param command the command
     * @param stream  the {@code CUstream}
     * @param scratch the queue's reused memory for {@code kernelParams} and guarded launches
     */
    public static void enqueue(CudaCommand command, long stream, LaunchScratch scratch) {
        command.enqueue(stream, scratch);
    }

    /**
     * Launches a guarded kernel again, over the control block its launch used, on a stream of its
     * GPU's primary context, which is current: only its logical blocks not yet claimed run.
     *
     * @param launch       a launch of a guarded kernel ({@link CudaKernel#guarded()}) made before
     * @param stream       the {@code CUstream}
     * @param scratch      the queue's launch memory, whose guard the launch used
     * @param controlBlock {@link LaunchScratch#lastGuardedBlock()} right after the launch
     */
    public static void relaunch(KernelLaunch launch, long stream, LaunchScratch scratch, long controlBlock) {
        launch.relaunch(stream, scratch, controlBlock);
    }

    /**
     * Records why a command failed; the first failure stays.
     *
     * @param command the command
     * @param cause   the failure
     */
    public static void fail(CudaCommand command, Throwable cause) {
        command.fail(cause);
    }

    /**
     * Makes the GPU's primary context current on the calling thread.
     *
     * @param gpu the GPU
     * @throws IllegalStateException once the GPU let go of its context
     */
    public static void bind(CudaGpu gpu) {
        gpu.bind();
    }

    /**
     * @param gpu the GPU
     * @return the flags for the sync-point events of queues on this GPU: its host wait mode's, and
     *         blocking synchronization also when the {@value HostWait#POINT_PROPERTY} system property
     *         says {@code blocking}
     */
    public static int eventFlags(CudaGpu gpu) {
        return gpu.eventFlags() | (HostWait.pointsBlock() ? CudaNative.CU_EVENT_BLOCKING_SYNC : 0);
    }

    /**
     * Before opening a queue: the GPU must still make new things; binds its context.
     *
     * @param gpu the GPU
     * @throws IllegalStateException when it was retired or closed
     */
    public static void openingQueue(CudaGpu gpu) {
        gpu.openingQueue();
    }

    /**
     * Registers an opened queue, which the GPU closes when it is retired or closed.
     *
     * @param gpu   the GPU
     * @param queue the queue
     * @param <T>   its type
     * @return the queue
     * @throws IllegalStateException when the GPU was retired or closed meanwhile; the queue is
     *                               closed then
     */
    public static <T extends AutoCloseable> T track(CudaGpu gpu, T queue) {
        return gpu.trackQueue(queue);
    }

    /**
     * @param gpu    the GPU
     * @param closed a queue of it that was just closed
     */
    public static void untrack(CudaGpu gpu, AutoCloseable closed) {
        gpu.untrack(closed);
    }

    /**
     * @param gpu the GPU
     * @return its primary context ({@code CUcontext}), what gated queues share a control stream and budget by
     */
    public static long context(CudaGpu gpu) {
        return gpu.context();
    }

    /**
     * @param gpu the GPU
     * @return whether its queues can be gated (level 2): the driver's stream memory operations work on it
     */
    public static boolean gateSupport(CudaGpu gpu) {
        return gpu.gateUnsupportedReason().isEmpty();
    }
}
