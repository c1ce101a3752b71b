package xsched.backend.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaStreamContexts;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.cuda.internal.PrimaryContextRetain;
import xsched.backend.cuda.internal.ptx.GuardedModule;
import xsched.backend.cuda.internal.ptx.GuardianRewriter;

/**
 * One NVIDIA GPU and its primary context, as xsched device {@code cuda:N}. Loads modules,
 * allocates memory and events, and opens the hardware queues the backend gives XQueues. Every
 * method binds the primary context on the calling thread first, so any thread may call it.
 *
 * <p>Lifetime. A GPU holds one retain of its device's primary context, taken when its {@link
 * CudaPlatform} opened. What it makes is either xsched's (the hardware queues: streams and their
 * pooled events) or the application's (buffers, pinned memory, modules, events).
 *
 * <ul>
 *   <li><b>Open</b>: everything can be made and used.
 *   <li><b>Retired</b> ({@link CudaPlatform#retire()}, when the backend hands over to a new one):
 *       its queues are closed and it makes nothing new (queues, {@link
 *       #allocate(long)}, … throw {@link IllegalStateException} naming the reason), but the
 *       application's resources stay valid and usable, and so does the primary context: the retain
 *       is kept until the last of them is closed, then released. Commands built from them run on
 *       the queues of any {@code CudaGpu} of the same device and primary context, such as the new
 *       backend's.
 *   <li><b>Closed</b> ({@link #closed()}): the retain was released, by {@link CudaPlatform#close()}
 *       (which first closes everything made here) or after retirement; nothing of it can be used.
 * </ul>
 */
public final class CudaGpu {
    private static final Logger LOG = LoggerFactory.getLogger(CudaGpu.class);

    private final int ordinal;
    private final int device;
    private final long context;
    private final String name;
    private final int ccMajor;
    private final int ccMinor;
    private final int multiprocessors;
    private final long totalMemory;
    private final HostWait wait;
    private final XpuDevice description;
    private final PrimaryContextRetain retain;
    private final String gateUnsupported;

    CudaGpu(int ordinal, int device, long context, String name, int ccMajor, int ccMinor, int multiprocessors, long totalMemory,
            HostWait wait) {
        this(ordinal, device, context, name, ccMajor, ccMinor, multiprocessors, totalMemory, wait, "stream memory operations were not probed");
    }

    CudaGpu(int ordinal, int device, long context, String name, int ccMajor, int ccMinor, int multiprocessors, long totalMemory,
            HostWait wait, String gateUnsupported) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = Objects.requireNonNull(name, "name");
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
        this.multiprocessors = multiprocessors;
        this.totalMemory = totalMemory;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.gateUnsupported = gateUnsupported;
        this.description = new XpuDevice("cuda:" + ordinal, "cuda", DeviceKind.GPU, name,
                gateUnsupported == null ? PreemptLevel.INTERRUPT : PreemptLevel.LAUNCH);
        this.retain = new PrimaryContextRetain(description.id(), this::releasePrimaryContext);
    }

    /** @return the xsched device id, {@code cuda:N} */
    public String id() {
        return description.id();
    }

    /**
     * @return the device as xsched lists it: level 3 where the driver's stream memory operations work
     *         on it (a gate in front of each batch stops any kernel between kernels, guarded kernels
     *         stop between blocks, interruptible ones inside blocks at level 3; see the README),
     *         else level 1
     */
    public XpuDevice device() {
        return description;
    }

    /** @return why this GPU has no level 2 (stream gates), empty when it has */
    public java.util.Optional<String> gateUnsupportedReason() {
        return java.util.Optional.ofNullable(gateUnsupported);
    }

    /** @return the CUDA device ordinal */
    public int ordinal() {
        return ordinal;
    }

    /** @return the product name, e.g. "NVIDIA H100 80GB HBM3" */
    public String name() {
        return name;
    }

    /** @return the compute capability, e.g. "9.0" */
    public String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    /** @return number of streaming multiprocessors */
    public int multiprocessors() {
        return multiprocessors;
    }

    /** @return device memory in bytes */
    public long totalMemory() {
        return totalMemory;
    }

    /** @return how threads wait for this GPU */
    public HostWait hostWait() {
        return wait;
    }

    /**
     * @return flags for the events of this GPU: no timing, and blocking synchronization when the
     *         host wait mode is {@link HostWait#BLOCKING} (an event without that flag is waited for
     *         by spinning whatever the context's mode)
     */
    int eventFlags() {
        return CudaNative.CU_EVENT_DISABLE_TIMING | (wait == HostWait.BLOCKING ? CudaNative.CU_EVENT_BLOCKING_SYNC : 0);
    }

    /**
     * @return whether this GPU let go of its primary context: its platform was closed, or it was
     *         retired and its last application resource has been closed
     */
    public boolean closed() {
        return retain.released();
    }

    /**
     * @return whether it was retired or closed: it makes no new queues or resources, and those of
     *         a retired GPU stay usable until closed
     */
    public boolean retired() {
        return retain.retired();
    }

    /** @return the application resources (buffers, pinned memory, modules, events) still open */
    public int openResources() {
        return retain.openResources();
    }

    /** @return the primary context ({@code CUcontext}) this GPU retained */
    long context() {
        return context;
    }

    /** @return the {@code CUdevice} */
    int cuDevice() {
        return device;
    }

    /**
     * @param other another GPU object, e.g. of a newer platform
     * @return whether both are the same device in the same primary context, so that the modules,
     *         buffers and events of one are valid on the queues of the other
     */
    boolean sharesContextWith(CudaGpu other) {
        return other == this || other.device == device && other.context == context;
    }

    /**
     * Loads a module from PTX text.
     *
     * @param ptx the PTX source
     * @return the module
     * @throws CudaException with the JIT's error log when the PTX does not compile
     */
    public CudaModule loadPtx(String ptx) {
        Objects.requireNonNull(ptx, "ptx");
        return loadModule(ptx.getBytes(StandardCharsets.UTF_8), "ptx");
    }

    /**
     * Loads PTX rewritten so that its kernels can be preempted by xsched, not only between launches.
     * Each {@code .entry} gets a prologue in which the blocks of a launch take logical block
     * indices from a counter, and leave without running when their queue's stop flag is set, so a
     * queue can stop a running kernel between blocks and run only the blocks left later (level 2
     * without waiting for the kernel); the entries named in {@code blockIdempotent} also check the
     * flag at loop back-edges and are cut off part-way, their blocks redone (level 3). Entries the
     * rewriter cannot guard safely (cooperative or cluster kernels, grid sync, device functions
     * that read the block index, anything it does not understand) load unchanged and say why
     * ({@link CudaKernel#unguardedReason()}). Launch the kernels as usual, with their own
     * arguments: the queue appends what guarded kernels need.
     *
     * @param ptx             the PTX source
     * @param blockIdempotent entries whose blocks may be cut off part-way and run again from the
     *                        start: they do not accumulate into memory they also read, use no
     *                        atomics whose effect a second run would double, and form no address
     *                        from data other threads of the block wrote
     * @return the module
     * @throws IllegalArgumentException when the PTX cannot be split into functions
     * @throws CudaException            with the JIT's error log when the PTX does not compile
     */
    public CudaModule loadPreemptible(String ptx, Set<String> blockIdempotent) {
        Objects.requireNonNull(ptx, "ptx");
        Objects.requireNonNull(blockIdempotent, "blockIdempotent");
        GuardedModule guarded = GuardianRewriter.rewrite(ptx, blockIdempotent);
        byte[] image = guarded.ptx().getBytes(StandardCharsets.UTF_8);
        retain.requireOpen("load a module");
        bind();
        return track(new CudaModule(this, CudaDriver.moduleLoad(image), "preemptible ptx", guarded.byName()));
    }

    /**
     * Loads a module from an image: PTX text, a cubin or a fatbin (the driver tells them apart).
     *
     * @param image the image bytes
     * @return the module
     */
    public CudaModule loadModule(byte[] image) {
        return loadModule(image, "image");
    }

    CudaModule loadModule(byte[] image, String label) {
        Objects.requireNonNull(image, "image");
        if (image.length == 0) {
            throw new IllegalArgumentException("a module image cannot be empty");
        }
        retain.requireOpen("load a module");
        bind();
        return track(new CudaModule(this, CudaDriver.moduleLoad(image), label));
    }

    /**
     * @param bytes size, at least 1
     * @return device memory, not initialized
     */
    public DeviceBuffer allocate(long bytes) {
        requirePositive(bytes);
        retain.requireOpen("allocate device memory");
        bind();
        return track(new DeviceBuffer(this, CudaMemory.memAlloc(bytes), bytes));
    }

    /**
     * @param bytes size, at least 1
     * @return page-locked host memory, the fast and truly asynchronous side of a {@link MemoryCopy}
     */
    public PinnedBuffer allocatePinned(long bytes) {
        requirePositive(bytes);
        retain.requireOpen("allocate pinned memory");
        bind();
        return track(new PinnedBuffer(this, CudaMemory.memAllocHost(bytes)));
    }

    /** @return a new event (without timing) for {@link EventRecord} and {@link EventWait} */
    public CudaEvent createEvent() {
        retain.requireOpen("create an event");
        bind();
        return track(new CudaEvent(this, CudaDriver.eventCreate(eventFlags())));
    }

    /** Before a queue opens: the GPU must still make new things (see {@link QueueAccess}). */
    void openingQueue() {
        retain.requireOpen("open a hardware queue");
        bind();
    }

    /** Registers an opened queue; closes it and throws when the GPU was retired meanwhile. */
    <T extends AutoCloseable> T trackQueue(T queue) {
        try {
            return retain.addQueue(queue);
        } catch (IllegalStateException retiredMeanwhile) {
            closeRefused(queue, retiredMeanwhile);
            throw retiredMeanwhile;
        }
    }

    /** Waits until all work of every queue on this GPU has completed. */
    public void synchronize() {
        bind();
        CudaDriver.contextSynchronize();
    }

    /**
     * Makes the primary context current on the calling thread; works while the retain is held, so
     * also for the resources of a retired GPU.
     */
    void bind() {
        retain.requireRetained();
        if (ApplicationCall.onApplicationThread()) {
            ApplicationCall.bindOnApplicationThread(context); // its own context comes back after the call
        } else {
            CudaDriver.contextSetCurrent(context);
            CudaStreamContexts.relaxCaptureMode();
        }
    }

    private <T extends GpuResource> T track(T resource) {
        try {
            return retain.addResource(resource);
        } catch (IllegalStateException retiredMeanwhile) {
            closeRefused(resource, retiredMeanwhile);
            throw retiredMeanwhile;
        }
    }

    private static void closeRefused(AutoCloseable made, IllegalStateException refusal) {
        try {
            made.close();
        } catch (Exception e) {
            refusal.addSuppressed(e);
        }
    }

    /** @param closed a queue or resource of this GPU that was just closed */
    void untrack(AutoCloseable closed) {
        retain.remove(closed);
    }

    /**
     * Closes the queues and makes nothing new; the application's resources stay usable and keep
     * the primary context retained until the last of them is closed.
     */
    void retire() {
        retain.retire(this::closeQuietly);
    }

    /** Closes every queue and resource still open, then releases the primary context. */
    void close() {
        retain.close(this::closeQuietly, this::synchronizeQuietly);
    }

    private void synchronizeQuietly() {
        try {
            synchronize();
        } catch (RuntimeException e) {
            LOG.warn("waiting for the work of {} failed: {}", id(), e.getMessage());
        }
    }

    private void closeQuietly(AutoCloseable thing) {
        try {
            thing.close();
        } catch (Exception e) {
            LOG.warn("releasing {} on {} failed: {}", thing, id(), e.getMessage());
        }
    }

    private void releasePrimaryContext() {
        try {
            CudaDriver.primaryContextRelease(device);
        } catch (RuntimeException e) {
            LOG.warn("releasing the primary context of {} failed: {}", id(), e.getMessage());
        }
    }

    private static void requirePositive(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte, not " + bytes);
        }
    }

    @Override
    public String toString() {
        return id() + " (" + name + ", sm_" + ccMajor + ccMinor + ", " + multiprocessors + " SMs)";
    }
}
