package xsched.backend.cuda.embed;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import xsched.api.XpuDevice;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.CudaBackend;
import xsched.backend.cuda.internal.GatedStreamQueue;
import xsched.backend.cuda.internal.StreamQueue;
import xsched.backend.cuda.internal.ffm.CudaStreamContexts;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;

/**
 * The CUDA backend of {@code xsched run}: its queues run on streams the application made, so that
 * each application stream becomes an XQueue over that very stream ({@link #adopt}), and the
 * application's intercepted calls, submitted as {@link xsched.backend.cuda.ApplicationCall}s, keep
 * their order with everything else the application does on the stream. A queue created without an
 * adoption gets a stream of its own, as with {@link CudaBackends#over(CudaPlatform, boolean)}.
 *
 * <p>Only streams of a GPU's primary context can be adopted (the context xsched binds; the CUDA
 * runtime uses it too); {@link #gpuOf(long)} tells which GPU a stream belongs to. An application
 * thread's per-thread default stream is adopted for that thread ({@link #adoptPerThread}): its
 * queue makes every operation on the stream on that thread ({@link OwnerThread}), at level 1.
 */
public final class AdoptedStreams implements Backend {
    /** A stream to adopt; {@code owner} is set for a per-thread default stream. */
    private record Adoption(CudaGpu gpu, long stream, OwnerThread owner) {
    }

    private final CudaPlatform platform;
    private final CudaBackend plain;
    private final Object adopting = new Object();
    private final AtomicReference<Adoption> next = new AtomicReference<>();

    /**
     * @param platform an open platform; the application closes it after the runtime
     * @param gate     whether queues are gated (level 2) on GPUs that support it
     */
    public AdoptedStreams(CudaPlatform platform, boolean gate) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.plain = new CudaBackend(platform, gate);
    }

    /**
     * @param stream an application's {@code CUstream}; 0 is the legacy NULL stream of the calling
     *               thread's current context, {@value PerThreadStreamQueue#PER_THREAD} ({@code
     *               CU_STREAM_PER_THREAD}) the calling thread's per-thread stream of that context
     * @return the GPU whose primary context the stream belongs to; empty for a stream of another
     *         context (one the application created), or when there is no current context
     * @throws xsched.backend.cuda.CudaException when the driver does not know the stream
     */
    public Optional<CudaGpu> gpuOf(long stream) {
        long context = stream == 0 || stream == PerThreadStreamQueue.PER_THREAD ? CudaStreamContexts.current()
                : CudaStreamContexts.of(stream);
        if (context == 0) {
            return Optional.empty();
        }
        return platform.gpus().stream().filter(g -> QueueAccess.context(g) == context).findFirst();
    }

    /**
     * Creates a queue that runs on an application's stream: {@code create} must create exactly one
     * queue on {@code gpu}'s device of a runtime this backend serves, e.g. {@code () ->
     * xsched.createQueue(gpu.id(), options)}. Adoptions are made one at a time.
     *
     * @param gpu    the GPU the stream belongs to ({@link #gpuOf(long)})
     * @param stream the application's stream, 0 for the legacy NULL stream
     * @param create creates the queue
     * @param <Q>    what it returns
     * @return what {@code create} returned
     * @throws IllegalStateException when {@code create} created no queue of this backend
     */
    public <Q> Q adopt(CudaGpu gpu, long stream, Supplier<Q> create) {
        return adopt(new Adoption(Objects.requireNonNull(gpu, "gpu"), stream, null), create);
    }

    /**
     * Creates a queue over an application thread's per-thread default stream, as {@link #adopt}
     * does for other streams: a level 1 queue that makes its launches (and the event records behind
     * them) on {@code owner}, which submits its own calls to it and runs what the queue hands it
     * while it waits for their launch ({@link OwnerThread}); sync points, synchronizations and the
     * close wait on events, from any thread. The owner's current context must be {@code gpu}'s
     * primary context whenever it submits.
     *
     * @param gpu    the GPU whose primary context is current on the owner ({@link #gpuOf(long)} of 0x2)
     * @param owner  the application thread
     * @param create creates the queue; it must ask for level 1 at most
     * @param <Q>    what it returns
     * @return what {@code create} returned
     * @throws IllegalStateException when {@code create} created no queue of this backend
     */
    public <Q> Q adoptPerThread(CudaGpu gpu, OwnerThread owner, Supplier<Q> create) {
        return adopt(new Adoption(Objects.requireNonNull(gpu, "gpu"), PerThreadStreamQueue.PER_THREAD,
                Objects.requireNonNull(owner, "owner")), create);
    }

    private <Q> Q adopt(Adoption adoption, Supplier<Q> create) {
        Objects.requireNonNull(create, "create");
        long stream = adoption.stream();
        synchronized (adopting) {
            next.set(adoption);
            try {
                Q created = create.get();
                if (next.get() == adoption) {
                    throw new IllegalStateException("no queue of the CUDA backend was opened to adopt stream 0x"
                            + Long.toHexString(stream));
                }
                return created;
            } finally {
                next.compareAndSet(adoption, null);
            }
        }
    }

    @Override
    public String platform() {
        return plain.platform();
    }

    @Override
    public List<XpuDevice> devices() {
        return plain.devices();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        Adoption adoption = next.getAndSet(null);
        if (adoption == null) {
            return plain.open(device);
        }
        if (!adoption.gpu().id().equals(device.id())) {
            throw new IllegalArgumentException("stream 0x" + Long.toHexString(adoption.stream()) + " belongs to "
                    + adoption.gpu().id() + ", not to " + device.id());
        }
        if (adoption.owner() != null) {
            return PerThreadStreamQueue.open(adoption.gpu(), adoption.owner());
        }
        boolean gated = device.maxLevel().number() >= 2;
        return gated ? GatedStreamQueue.adopt(adoption.gpu(), adoption.stream())
                : StreamQueue.adopt(adoption.gpu(), adoption.stream());
    }

    @Override
    public int rank() {
        return plain.rank();
    }
}
