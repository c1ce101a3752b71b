package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Level 1 preemption on cuda:0 with queues the test suspends and resumes itself (an embedded
 * runtime with manual scheduling, so no policy touches them): every command runs exactly once and
 * in order, and the hardware never holds more than the threshold. The {@code mark} kernel appends
 * each command's number to a per-queue log on the GPU.
 */
@Tag("gpu")
class PreemptionOnGpuTest {
    /** Per test, so that without a GPU each test is reported as skipped. */
    @BeforeEach
    void requireGpu() {
        Gpus.platform();
    }

    private CudaGpu gpu;
    private StockKernels kernels;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    /** One runtime per backend, each with manual scheduling: no policy suspends or resumes a queue. */
    private final Map<Backend, EmbeddedXsched> runtimes = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        gpu = Gpus.gpu();
        kernels = StockKernels.load(gpu);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        runtimes.values().forEach(EmbeddedXsched::close);
        if (kernels != null) {
            kernels.close();
        }
    }

    private XQueue queue(Backend backend, LaunchConfig config) {
        EmbeddedXsched runtime = runtimes.computeIfAbsent(backend,
                b -> EmbeddedXsched.builder().manualScheduling().backend(b).build());
        XQueue q = runtime.createQueue(gpu.id(), QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH).withLaunch(config));
        cleanup.add(q);
        return q;
    }

    /** @return the queue's commands launched and not yet known complete, as its runtime reports them */
    private int inFlight(XQueue q) {
        for (EmbeddedXsched runtime : runtimes.values()) {
            if (runtime.queue(q.id()).orElse(null) == q) {
                return runtime.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().inFlight;
            }
        }
        throw new IllegalStateException("no runtime holds " + q);
    }

    private DeviceBuffer zeroed(long bytes) {
        DeviceBuffer b = gpu.allocate(bytes);
        b.upload(new int[(int) (bytes / 4)]);
        cleanup.add(b);
        return b;
    }

    @Test
    void orderAndExactlyOnceAcrossQueuesUnderRandomSuspendAndResume() throws Exception {
        int queues = 3;
        int perQueue = 300;
        List<XQueue> qs = new ArrayList<>();
        List<DeviceBuffer> logs = new ArrayList<>();
        List<DeviceBuffer> cursors = new ArrayList<>();
        Backend backend = CudaBackends.over(Gpus.platform());
        for (int i = 0; i < queues; i++) {
            qs.add(queue(backend, new LaunchConfig(4 + 4 * i, 2 + i)));
            logs.add(zeroed(4L * perQueue));
            cursors.add(zeroed(4));
        }
        SuspendResumeChaos chaos = new SuspendResumeChaos(qs, perQueue, 7, 200_000, 800_000);
        for (int v = 0; v < perQueue; v++) {
            for (int i = 0; i < queues; i++) {
                qs.get(i).submit(kernels.mark(logs.get(i), cursors.get(i), v, 150_000));
            }
        }
        chaos.submitted();
        chaos.join(60_000);
        qs.forEach(XQueue::resume);
        for (XQueue q : qs) {
            q.awaitAll();
        }
        assertThat(chaos.toggles()).isGreaterThan(20);
        for (int i = 0; i < queues; i++) {
            int[] log = new int[perQueue];
            int[] cursor = new int[1];
            logs.get(i).download(log);
            cursors.get(i).download(cursor);
            assertThat(cursor[0]).as("marks of queue %d", i).isEqualTo(perQueue);
            for (int v = 0; v < perQueue; v++) {
                assertThat(log[v]).as("queue %d position %d", i, v).isEqualTo(v);
            }
        }
    }

    @Test
    void theHardwareNeverHoldsMoreThanTheThreshold() throws Exception {
        CountingBackend counting = new CountingBackend(CudaBackends.over(Gpus.platform()));
        int threshold = 6;
        XQueue q = queue(counting, new LaunchConfig(threshold, 3));
        DeviceBuffer log = zeroed(4L * 300);
        DeviceBuffer cursor = zeroed(4);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                maxSeen.accumulateAndGet(inFlight(q), Math::max);
                Thread.onSpinWait();
            }
        });
        for (int v = 0; v < 300; v++) {
            q.submit(kernels.mark(log, cursor, v, 50_000));
            if (v == 100) {
                q.suspend();
                Thread.sleep(5);
                q.resume();
            }
        }
        q.awaitAll();
        running.set(false);
        sampler.join();

        assertThat(counting.maxOutstanding()).isEqualTo(threshold);
        assertThat(maxSeen.get()).isBetween(1, threshold);
        int[] count = new int[1];
        cursor.download(count);
        assertThat(count[0]).isEqualTo(300);
    }

    @Test
    void aSuspendedQueueStopsLaunchingOnceItsWindowDrains() throws Exception {
        XQueue q = queue(CudaBackends.over(Gpus.platform()), new LaunchConfig(4, 2));
        DeviceBuffer log = zeroed(4L * 200);
        DeviceBuffer cursor = zeroed(4);
        // From another thread: a submit may launch, and retire a full window, on the submitting thread
        // itself, so a loop of 200 submits here would return only once most of them had run.
        Thread submitter = Thread.ofPlatform().name("submitter").start(() -> {
            for (int v = 0; v < 200; v++) {
                q.submit(kernels.mark(log, cursor, v, 200_000));
            }
        });
        long started = System.nanoTime() + 10_000_000_000L;
        while (q.finished() == 0) {
            assertThat(System.nanoTime() - started).as("the first command ended within 10 s").isNegative();
            Thread.onSpinWait();
        }
        q.suspend();
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (inFlight(q) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int[] first = new int[1];
        cursor.download(first);
        Thread.sleep(20);
        int[] second = new int[1];
        cursor.download(second);

        assertThat(inFlight(q)).isZero();
        assertThat(first[0]).isBetween(1, 199);
        assertThat(second[0]).as("nothing ran while suspended").isEqualTo(first[0]);
        submitter.join();
        q.resume();
        q.awaitAll();
        cursor.download(second);
        assertThat(second[0]).isEqualTo(200);
    }

    /** Wraps the CUDA backend's queues to count launched commands against reached sync points. */
    private static final class CountingBackend implements Backend {
        private final Backend inner;
        private final AtomicInteger max = new AtomicInteger();

        CountingBackend(Backend inner) {
            this.inner = inner;
        }

        int maxOutstanding() {
            return max.get();
        }

        @Override
        public String platform() {
            return inner.platform();
        }

        @Override
        public List<XpuDevice> devices() {
            return inner.devices();
        }

        @Override
        public HwQueue open(XpuDevice device) {
            HwQueue q = inner.open(device);
            return new HwQueue() {
                private long launched;
                private long completedThrough;

                @Override
                public void accept(HwCommand command) {
                    q.accept(command);
                }

                @Override
                public void launch(HwCommand command) {
                    q.launch(command);
                    launched++;
                    max.accumulateAndGet((int) (launched - completedThrough), Math::max);
                }

                @Override
                public SyncPoint record() {
                    SyncPoint p = q.record();
                    long through = launched;
                    return new SyncPoint() {
                        @Override
                        public boolean reached() {
                            boolean r = p.reached();
                            if (r) {
                                completedThrough = Math.max(completedThrough, through);
                            }
                            return r;
                        }

                        @Override
                        public boolean await() throws InterruptedException {
                            boolean r = p.await();
                            completedThrough = Math.max(completedThrough, through);
                            return r;
                        }

                        @Override
                        public void close() {
                            p.close();
                        }
                    };
                }

                @Override
                public void synchronize() throws InterruptedException {
                    q.synchronize();
                    completedThrough = launched;
                }

                @Override
                public void close() {
                    q.close();
                }
            };
        }
    }
}
