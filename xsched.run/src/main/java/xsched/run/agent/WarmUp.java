package xsched.run.agent;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import xsched.api.QueueOptions;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.embed.AdoptedStreams;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.core.embed.EmbeddedXsched;

/**
 * Runs the agent's own path of an intercepted launch many times before the program's calls take
 * it, so that the JIT has compiled it by then. Without it the first thousands of calls run
 * interpreted, tens of microseconds each: for a latency-critical program that launches a CUDA
 * graph every 20 ms that is minutes of its life (on the fake device, 2 cores: 40–70 µs a launch
 * for the first 2 000, 4–8 µs once compiled; {@code scripts/xrun-launch-cost.sh}).
 *
 * <p>It takes the very path of a program's call — the interposer's upcall into a handler of {@link
 * QueuedEntries}, {@link AppStreams}, the stream's XQueue, the backend's queue over an adopted
 * stream, the downcall of the "real" function, the event records behind batches, the settle after a
 * stream's and after a context's synchronize, and, when the program's streams have direct lanes, a
 * lane of its own ({@link WarmLane}) that it takes from as the interposer does, so that the calls
 * come up when the lane is spent, as the program's do — with functions of the interposer that do
 * nothing as the real ones, on a stream of its own, in a runtime of its own (no daemon sees it),
 * before the program's handlers are installed. On a thread of its own, so that no context of the
 * program's thread changes.
 */
final class WarmUp {
    /** Enough for the JIT's last tier on the hot path (its thresholds are in the thousands). */
    static final int DEFAULT_CALLS = 20_000;
    static final int MAX_CALLS = 1_000_000;
    /** How long the program's first call waits for the warm-up at most. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private WarmUp() {
    }

    /**
     * @param platform the open platform
     * @param gate     whether the program's queues are gated
     * @param options  the options of the program's queues (the level matters: it picks the kind of queue)
     * @param lanes    whether the program's streams have direct lanes
     * @param calls    how many launches go up to the agent
     * @return how long it took, and how many launches the warm-up made through its lane besides
     * @throws IllegalStateException saying why it could not run
     */
    static Done run(Interposer table, CudaPlatform platform, boolean gate, QueueOptions options, boolean lanes, int calls) {
        if (calls <= 0 || platform.gpus().isEmpty()) {
            return new Done(Duration.ZERO, 0);
        }
        CudaGpu gpu = platform.gpus().getFirst();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong laned = new AtomicLong();
        long start = System.nanoTime();
        // a daemon thread: one that never ends (a stuck driver) holds up neither the program nor its exit
        Thread t = Thread.ofPlatform().daemon().name("xsched-run-warm-up").start(() -> {
            try {
                laned.set(onThisThread(table, platform, gpu, gate, options, lanes, calls));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            if (!t.join(PATIENCE)) {
                throw new IllegalStateException("it did not end within " + PATIENCE.toSeconds() + " s (it goes on on its own stream)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(String.valueOf(failure.get()), failure.get());
        }
        return new Done(Duration.ofNanos(System.nanoTime() - start), laned.get());
    }

    /**
     * What the warm-up did.
     *
     * @param took   how long it took
     * @param laned  how many launches it made through its lane besides those that went up to the agent
     */
    record Done(Duration took, long laned) {
    }

    /** @return how many launches went through the warm-up's lane */
    private static long onThisThread(Interposer table, CudaPlatform platform, CudaGpu gpu, boolean gate, QueueOptions options,
                                     boolean lanes, int calls) {
        CudaDriver.contextSetCurrent(QueueAccess.context(gpu));
        long stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, 0);
        try {
            AdoptedStreams backend = new AdoptedStreams(platform, gate);
            try (EmbeddedXsched x = EmbeddedXsched.builder().backend(backend).build()) {
                QueueOptions warm = options.withName("xsched run warm-up");
                WarmLane lane = lanes ? new WarmLane() : null;
                AppStreams streams = new AppStreams(new CudaStreams(x, backend, warm, warm), lane != null ? lane : AppStreams.Lanes.NONE);
                QueuedEntries.warmUp(streams, table, stream, calls, lane);
                if (streams.scheduled() != 1) {
                    throw new IllegalStateException("the warm-up stream was not scheduled: " + streams.stats().describe());
                }
                return streams.stats().direct.sum();
            }
        } finally {
            CudaDriver.contextSetCurrent(QueueAccess.context(gpu));
            CudaDriver.streamDestroy(stream);
        }
    }
}
