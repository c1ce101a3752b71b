package xsched.demo.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;

/**
 * Runs the foreground workload three ways on one device: alone, beside a saturating background
 * straight on the hardware queues, and beside it through xsched with HPF.
 */
final class DemoRunner {
    /** One row of the result. */
    record Result(String mode, LatencyStats foreground, double backgroundPerSecond) {
    }

    private static final int BACKGROUND_BATCH = 16;
    private final Xsched xsched;
    private final Backend backend;
    private final XpuDevice device;
    private final Workload work;
    private final int warmup;
    private final int jobs;

    DemoRunner(Xsched xsched, Backend backend, XpuDevice device, Workload work, int warmup, int jobs) {
        this.xsched = xsched;
        this.backend = backend;
        this.device = device;
        this.work = work;
        this.warmup = warmup;
        this.jobs = jobs;
    }

    Result standalone() throws Exception {
        return new Result("foreground alone", LatencyStats.of(nativeForeground()), 0);
    }

    Result nativeBoth() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        CompletableFuture<Void> background = CompletableFuture.runAsync(() -> {
            HwQueue hw = backend.open(device);
            try {
                while (!stop.get()) {
                    for (int i = 0; i < BACKGROUND_BATCH; i++) {
                        hw.launch(work.background());
                    }
                    hw.record().await();
                    done.addAndGet(BACKGROUND_BATCH);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hw.close();
            }
        }, r -> Thread.ofPlatform().name("demo-native-bg").start(r));
        long start = System.nanoTime();
        long[] latencies;
        try {
            latencies = nativeForeground();
        } finally {
            stop.set(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long count = done.get();
        background.get();
        return new Result("both, native (no xsched)", LatencyStats.of(latencies), count / seconds);
    }

    private long[] nativeForeground() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            HwQueue hw = backend.open(device);
            try {
                return Foreground.run(() -> {
                    for (int i = 0; i < work.kernelsPerJob(); i++) {
                        hw.launch(work.foreground());
                    }
                    hw.record().await();
                }, work.periodNanos(), warmup, jobs);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                hw.close();
            }
        }, r -> Thread.ofPlatform().name("demo-native-fg").start(r)).get();
    }

    Result withXsched() throws Exception {
        XQueue fg = xsched.createQueue(device.id(), QueueOptions.defaults().withName("demo-foreground"));
        XQueue bg = xsched.createQueue(device.id(), QueueOptions.defaults().withName("demo-background").withLaunch(work.backgroundLaunch()));
        try {
            xsched.hint(new Hint.Priority(HintTarget.queue(fg.id()), 10));
            xsched.hint(new Hint.Priority(HintTarget.queue(bg.id()), 0));
            AtomicBoolean stop = new AtomicBoolean();
            Thread background = Thread.ofPlatform().name("demo-xsched-bg").start(() -> {
                try {
                    while (!stop.get()) {
                        long seq = bg.submit(work.background());
                        if (seq > 2L * BACKGROUND_BATCH) {
                            bg.await(seq - 2L * BACKGROUND_BATCH);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            long finishedAtStart = bg.finished();
            long[] latencies;
            try {
                latencies = Foreground.run(() -> {
                    long last = 0;
                    for (int i = 0; i < work.kernelsPerJob(); i++) {
                        last = fg.submit(work.foreground());
                    }
                    fg.await(last);
                }, work.periodNanos(), warmup, jobs);
            } finally {
                stop.set(true);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long count = bg.finished() - finishedAtStart;
            background.join();
            return new Result("both, xsched " + xsched.activePolicy().orElse("(no policy)") + " Lv" + fg.level().number(),
                    LatencyStats.of(latencies), count / seconds);
        } finally {
            bg.resume(true);
            fg.close();
            bg.close();
        }
    }
}
