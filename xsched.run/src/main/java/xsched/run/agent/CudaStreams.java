package xsched.run.agent;

import java.util.Objects;
import xsched.api.QueueOptions;
import xsched.api.Xsched;
import xsched.api.XQueue;
import xsched.backend.cuda.ApplicationCall;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.embed.AdoptedStreams;
import xsched.backend.cuda.internal.ffm.CudaStreamContexts;

/** Adopts the application's CUDA streams: each becomes an XQueue of the runtime over that very stream. */
final class CudaStreams implements AdoptedStream.Adopter {
    /** {@code XSCHED_RUN_LEGACY=0} leaves the legacy NULL stream unscheduled (a diagnostic). */
    private static final boolean LEGACY = !"0".equals(System.getenv("XSCHED_RUN_LEGACY"));

    private final Xsched xsched;
    private final AdoptedStreams backend;
    private final QueueOptions options;

    /**
     * @param xsched  the runtime the queues are created in
     * @param backend its CUDA backend
     * @param options the options of every queue; the name is the program's, the stream is added
     */
    CudaStreams(Xsched xsched, AdoptedStreams backend, QueueOptions options) {
        this.xsched = Objects.requireNonNull(xsched, "xsched");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.options = Objects.requireNonNull(options, "options");
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

    @Override
    public AdoptedStream adopt(long stream) {
        if (stream == 0 && !LEGACY) {
            throw new IllegalStateException("XSCHED_RUN_LEGACY=0 leaves the legacy default stream alone");
        }
        CudaGpu gpu = backend.gpuOf(stream).orElseThrow(() -> new IllegalStateException(
                "it belongs to a CUDA context the program created itself; xsched schedules the streams of a GPU's primary context"));
        String name = options.name() + (stream == 0 ? " legacy stream" : " stream 0x" + Long.toHexString(stream));
        XQueue queue = backend.adopt(gpu, stream, () -> xsched.createQueue(gpu.id(), options.withName(name)));
        return new AdoptedStream(queue, (function, call) -> {
            ApplicationCall command = new ApplicationCall(gpu, stream, function, call::callChecked);
            return new AdoptedStream.Call(command, () -> {
                int rc = command.result();
                return rc == ApplicationCall.NOT_LAUNCHED ? AdoptedStream.NOT_LAUNCHED : rc;
            });
        });
    }
}
