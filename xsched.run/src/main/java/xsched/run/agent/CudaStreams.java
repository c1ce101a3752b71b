package xsched.run.agent;

import java.util.Objects;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.Xsched;
import xsched.api.XQueue;
import xsched.backend.cuda.ApplicationCall;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.embed.AdoptedStreams;
import xsched.backend.cuda.embed.OwnerThread;
import xsched.backend.cuda.internal.ffm.CudaStreamContexts;

/**
 * Adopts the application's CUDA streams: each becomes an XQueue of the runtime over that very
 * stream, and each thread's per-thread default stream one of its own ({@link #adoptPerThread}).
 */
final class CudaStreams implements AdoptedStream.Adopter {
    /** {@code XSCHED_RUN_LEGACY=0} leaves the legacy NULL stream unscheduled (a diagnostic). */
    private static final boolean LEGACY = !"0".equals(System.getenv("XSCHED_RUN_LEGACY"));

    private final Xsched xsched;
    private final AdoptedStreams backend;
    private final QueueOptions options;
    private final QueueOptions perThreadOptions;

    /**
     * @param xsched           the runtime the queues are created in
     * @param backend          its CUDA backend
     * @param options          the options of every queue; the name is the program's, the stream is added
     * @param perThreadOptions those of the queues over per-thread default streams (level 1 at most),
     *                         named likewise
     */
    CudaStreams(Xsched xsched, AdoptedStreams backend, QueueOptions options, QueueOptions perThreadOptions) {
        this.xsched = Objects.requireNonNull(xsched, "xsched");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.options = Objects.requireNonNull(options, "options");
        this.perThreadOptions = Objects.requireNonNull(perThreadOptions, "perThreadOptions");
    }

    @Override
    public boolean passThrough(long stream) {
        // the legacy NULL stream cannot be captured, and asking about it while another stream
        // captures in global mode is an error of its own
        return stream != 0 && CudaStreamContexts.capturing(stream);
    }

    /** The launch or a wait bound the GPU's primary context on the program's thread: its own comes back. */
    @Override
    public void restoreThread() {
        ApplicationCall.restoreApplicationContext();
    }

    /** A thread has a per-thread default stream per context: its current one tells which. */
    @Override
    public long perThreadStreamKey() {
        return CudaStreamContexts.current();
    }

    @Override
    public AdoptedStream adoptPerThread(OwnerThread owner) {
        CudaGpu gpu = backend.gpuOf(AppStreams.PER_THREAD).orElseThrow(() -> new IllegalStateException(
                "thread '" + owner.thread().getName() + "' launched in a CUDA context the program created itself (or in none); "
                        + "xsched schedules the streams of a GPU's primary context"));
        int level = options.level().map(PreemptLevel::number).orElse(1);
        if (level > 1) {
            Say.once("per-thread default streams are scheduled at level 1 (their queues make every operation on the owning thread), "
                    + "the other streams at level " + level);
        }
        String name = perThreadOptions.name() + " per-thread stream of thread " + describe(owner.thread());
        XQueue queue = backend.adoptPerThread(gpu, owner, () -> xsched.createQueue(gpu.id(), perThreadOptions.withName(name)));
        return new AdoptedStream(queue, (function, call) -> commandOn(gpu, AppStreams.PER_THREAD, function, call));
    }

    private static String describe(Thread thread) {
        String name = thread.getName();
        return name == null || name.isBlank() ? "#" + thread.threadId() : "'" + name + "'";
    }

    private static AdoptedStream.Call commandOn(CudaGpu gpu, long stream, String function, NativeCall call) {
        ApplicationCall command = new ApplicationCall(gpu, stream, function, call::callChecked);
        return new AdoptedStream.Call(command, () -> {
            int rc = command.result();
            return rc == ApplicationCall.NOT_LAUNCHED ? AdoptedStream.NOT_LAUNCHED : rc;
        });
    }

    @Override
    public AdoptedStream adopt(long stream) {
        if (stream == 0 && !LEGACY) {
            throw new IllegalStateException("XSCHED_RUN_LEGACY=0 leaves the legacy default stream alone");
        }
        CudaGpu gpu = backend.gpuOf(stream).orElseThrow(() -> new IllegalStateException(
                "it belongs to a CUDA context the program created itself; xsched schedules the streams of a GPU's primary context"));
        String name = options.name() + (stream == 0 ? " legacy stream" : " stream 0x" + Long.toHexString(stream));
        XQueue queue = backend.adopt(gpu, stream, () -> xsched.createQueue(gpu.id(), options.withName(name)));
        return new AdoptedStream(queue, (function, call) -> commandOn(gpu, stream, function, call));
    }
}
