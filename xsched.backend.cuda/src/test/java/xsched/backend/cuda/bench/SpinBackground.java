package xsched.backend.cuda.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;

/**
 * A saturating background on one raw stream, from one thread: batches of {@link #BATCH} launches of
 * one kernel, an event after each batch, and a wait for the batch before (so 4 to 8 kernels are
 * queued at any time, as in {@code ForegroundBench.nativeRun}). Counts the kernels known complete.
 * {@link #close()} stops and joins the thread (bounded) and rethrows what it failed with; close it
 * before the stream.
 */
final class SpinBackground implements AutoCloseable {
    static final int BATCH = 4;
    private static final Duration JOIN = Duration.ofSeconds(30);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private SpinBackground(NativeStream stream, KernelLaunch kernel) {
        // daemon: should a wait in the driver never return, close() reports it and the JVM can still exit
        thread = Thread.ofPlatform().name("green-bg").daemon().unstarted(() -> loop(stream, kernel));
    }

    /**
     * @param stream the stream to fill; must outlive this
     * @param kernel launched over and over
     * @return the running background, already filling the stream
     */
    static SpinBackground start(NativeStream stream, KernelLaunch kernel) {
        SpinBackground bg = new SpinBackground(stream, kernel);
        bg.thread.start();
        return bg;
    }

    private void loop(NativeStream stream, KernelLaunch kernel) {
        try {
            stream.bind();
            while (running.get()) {
                for (int i = 0; i < BATCH; i++) {
                    stream.launch(kernel);
                }
                if (stream.recordAndWaitPrevious()) {
                    completed.addAndGet(BATCH);
                }
            }
            stream.synchronize();
        } catch (RuntimeException | Error e) {
            failure.set(e);
            running.set(false);
        }
    }

    /** @return kernels known complete so far */
    long completed() {
        return completed.get();
    }

    /**
     * @throws IllegalStateException when the thread failed (its failure is the cause)
     */
    void requireRunning() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the background failed: " + t, t);
        }
    }

    /**
     * Stops the thread and waits for it (it finishes the stream's work first).
     *
     * @throws IllegalStateException when it does not end within 30 s, or it had failed
     */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (!thread.join(JOIN)) {
            throw new IllegalStateException("the background thread did not stop within " + JOIN.toSeconds() + " s");
        }
        requireRunning();
    }
}
