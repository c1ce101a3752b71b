package xsched.backend.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwQueue;

/**
 * One NVIDIA GPU and its primary context, as xsched device {@code cuda:N}. Loads modules,
 * allocates memory and events, and opens the hardware queues the backend gives XQueues. Every
 * method binds the primary context on the calling thread first, so any thread may call it.
 * Everything created here is released when the {@link CudaPlatform} closes, if not before.
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
    private final Set<AutoCloseable> resources = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> queues = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CudaGpu(int ordinal, int device, long context, String name, int ccMajor, int ccMinor, int multiprocessors, long totalMemory,
            HostWait wait) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = Objects.requireNonNull(name, "name");
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
        this.multiprocessors = multiprocessors;
        this.totalMemory = totalMemory;
        this.wait = Objects.requireNonNull(wait, "wait");
        this.description = new XpuDevice("cuda:" + ordinal, "cuda", DeviceKind.GPU, name, PreemptLevel.LAUNCH);
    }

    /** @return the xsched device id, {@code cuda:N} */
    public String id() {
        return description.id();
    }

    /** @return the device as xsched lists it (level 1) */
    public XpuDevice device() {
        return description;
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

    /** @return whether {@link CudaPlatform#close()} released this GPU */
    public boolean closed() {
        return closed;
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
        bind();
        return track(new CudaModule(this, CudaDriver.moduleLoad(image), label));
    }

    /**
     * @param bytes size, at least 1
     * @return device memory, not initialized
     */
    public DeviceBuffer allocate(long bytes) {
        requirePositive(bytes);
        bind();
        return track(new DeviceBuffer(this, CudaMemory.memAlloc(bytes), bytes));
    }

    /**
     * @param bytes size, at least 1
     * @return page-locked host memory, the fast and truly asynchronous side of a {@link MemoryCopy}
     */
    public PinnedBuffer allocatePinned(long bytes) {
        requirePositive(bytes);
        bind();
        return track(new PinnedBuffer(this, CudaMemory.memAllocHost(bytes)));
    }

    /** @return a new event (without timing) for {@link EventRecord} and {@link EventWait} */
    public CudaEvent createEvent() {
        bind();
        return track(new CudaEvent(this, CudaDriver.eventCreate(eventFlags())));
    }

    /**
     * Opens a level-1 hardware queue over a new non-blocking stream of default priority. This is
     * what the backend hands the core for each XQueue; applications create XQueues instead. Call
     * it, and every method of the queue, from the thread that will drive it.
     *
     * @return the queue
     */
    public HwQueue openHwQueue() {
        return openHwQueue(0);
    }

    /**
     * @param priority stream priority; lower numbers are more urgent (see the driver's range)
     * @return a level-1 hardware queue over a new stream of that priority
     */
    public HwQueue openHwQueue(int priority) {
        ensureOpen();
        bind();
        StreamQueue queue = new StreamQueue(this, priority);
        queues.add(queue);
        return queue;
    }

    /** Waits until all work of every queue on this GPU has completed. */
    public void synchronize() {
        bind();
        CudaDriver.contextSynchronize();
    }

    /** Makes the primary context current on the calling thread. */
    void bind() {
        ensureOpen();
        CudaDriver.contextSetCurrent(context);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("GPU " + id() + " was released; the CUDA backend has stopped");
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    void untrack(AutoCloseable resource) {
        resources.remove(resource);
        queues.remove(resource);
    }

    /** Closes every queue and resource still open, then releases the primary context. */
    void close() {
        if (closed) {
            return;
        }
        closeAll(new ArrayList<>(queues));
        try {
            synchronize();
        } catch (RuntimeException e) {
            LOG.warn("waiting for the work of {} failed: {}", id(), e.getMessage());
        }
        closeAll(new ArrayList<>(resources));
        closed = true;
        try {
            CudaDriver.primaryContextRelease(device);
        } catch (RuntimeException e) {
            LOG.warn("releasing the primary context of {} failed: {}", id(), e.getMessage());
        }
    }

    private void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable resource : open) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("releasing {} on {} failed: {}", resource, id(), e.getMessage());
            }
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
