package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/** Real work through the xsched runtime (HPF policy) on cuda:0, checked against the CPU. */
@Tag("gpu")
class XschedOnGpuTest {
    /** Per test, so that without a GPU each test is reported as skipped. */
    @BeforeEach
    void requireGpu() {
        Gpus.platform();
    }

    private CudaGpu gpu;
    private EmbeddedXsched runtime;
    private StockKernels kernels;

    @BeforeEach
    void start() {
        gpu = Gpus.gpu();
        runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst())
                .backend(CudaBackends.over(Gpus.platform())).build();
        kernels = StockKernels.load(gpu);
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (kernels != null) {
            kernels.close();
        }
    }

    @Test
    void theGpuRanksAboveTheHost() {
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT)) {
            runtime.addBackend(host);
            assertThat(runtime.devices()).extracting(XpuDevice::id).startsWith("cuda:0").contains("host:0");
            PreemptLevel expected = QueueAccess.gateSupport(gpu) && !"false".equals(System.getProperty("xsched.cuda.gate"))
                    ? PreemptLevel.INTERRUPT : PreemptLevel.LAUNCH;
            assertThat(runtime.device("cuda:0")).hasValueSatisfying(d -> assertThat(d.maxLevel()).isEqualTo(expected));
            runtime.removeBackend(host);
        }
    }

    @Test
    void vectorAdd() throws Exception {
        int n = 1_000_003;
        float[] a = Gpus.random(n, 1);
        float[] b = Gpus.random(n, 2);
        float[] c = new float[n];
        java.util.Arrays.fill(c, Float.NaN);
        try (DeviceBuffer da = gpu.allocate(4L * n); DeviceBuffer db = gpu.allocate(4L * n); DeviceBuffer dc = gpu.allocate(4L * n)) {
            da.upload(a);
            db.upload(b);
            dc.upload(c);
            XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("vadd"));
            long seq = q.submit(kernels.vectorAdd(da, db, dc, n));
            q.awaitAll();
            assertThat(q.outcome(seq)).isEqualTo(Outcome.COMPLETED);
            dc.download(c);
            q.close();
        }
        for (int i = 0; i < n; i++) {
            assertThat(c[i]).isEqualTo(a[i] + b[i]);
        }
    }

    @Test
    void gemmMatchesTheCpuForOddSizes() throws Exception {
        XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("gemm"));
        int[][] sizes = {{1, 1, 1}, {17, 33, 9}, {128, 96, 200}, {255, 257, 130}};
        for (int[] s : sizes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = Gpus.random(m * k, m);
            float[] b = Gpus.random(k * n, n);
            float[] c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN);
            try (DeviceBuffer da = gpu.allocate(4L * m * k); DeviceBuffer db = gpu.allocate(4L * k * n);
                 DeviceBuffer dc = gpu.allocate(4L * m * n)) {
                da.upload(a);
                db.upload(b);
                dc.upload(c);
                q.submit(kernels.sgemm(da, db, dc, m, n, k));
                q.awaitAll();
                dc.download(c);
            }
            for (float v : c) {
                assertThat(v).isNotNaN();
            }
            assertThat(Gpus.relativeError(c, Gpus.gemm(a, b, m, n, k))).as("gemm %dx%dx%d", m, n, k).isLessThan(1e-5);
        }
        q.close();
    }

    @Test
    void anMlpLayerChainKeepsItsOrder() throws Exception {
        int batch = 64;
        int in = 256;
        int hidden = 512;
        int out = 128;
        float[] x = Gpus.random(batch * in, 11);
        float[] w1 = Gpus.random(in * hidden, 12);
        float[] b1 = Gpus.random(hidden, 13);
        float[] w2 = Gpus.random(hidden * out, 14);
        float[] b2 = Gpus.random(out, 15);
        double[] h = Gpus.gemm(x, w1, batch, hidden, in);
        float[] hf = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            hf[i] = (float) Math.max(h[i] + b1[i % hidden], 0);
        }
        double[] y = Gpus.gemm(hf, w2, batch, out, hidden);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(y[i] + b2[i % out], 0);
        }
        float[] result = new float[batch * out];
        try (DeviceBuffer dx = gpu.allocate(4L * x.length); DeviceBuffer dw1 = gpu.allocate(4L * w1.length);
             DeviceBuffer db1 = gpu.allocate(4L * hidden); DeviceBuffer dh = gpu.allocate(4L * batch * hidden);
             DeviceBuffer dw2 = gpu.allocate(4L * w2.length); DeviceBuffer db2 = gpu.allocate(4L * out);
             DeviceBuffer dy = gpu.allocate(4L * result.length)) {
            dx.upload(x);
            dw1.upload(w1);
            db1.upload(b1);
            dw2.upload(w2);
            db2.upload(b2);
            XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("mlp"));
            for (int rep = 0; rep < 20; rep++) {
                q.submit(MemorySet.float32(dh, Float.NaN));
                q.submit(MemorySet.float32(dy, Float.NaN));
                q.submit(kernels.sgemm(dx, dw1, dh, batch, hidden, in));
                q.submit(kernels.biasRelu(dh, db1, batch, hidden));
                q.submit(kernels.sgemm(dh, dw2, dy, batch, out, hidden));
                q.submit(kernels.biasRelu(dy, db2, batch, out));
            }
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(120);
            dy.download(result);
            q.close();
        }
        assertThat(Gpus.relativeError(result, y)).isLessThan(1e-5);
    }

    @Test
    void aRejectedLaunchFailsItsCommandAndTheQueueCarriesOn() throws Exception {
        XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("fail"));
        try (DeviceBuffer log = gpu.allocate(64); DeviceBuffer cursor = gpu.allocate(4)) {
            q.submit(MemorySet.int32(cursor, 0, 0, 1));
            KernelLaunch tooBig = kernels.spin(1000, 1, 2048);
            long bad = q.submit(tooBig);
            long good = q.submit(kernels.mark(log, cursor, 5, 0));
            q.awaitAll();

            assertThat(q.outcome(bad)).isEqualTo(Outcome.FAILED);
            assertThat(q.failure(bad)).isInstanceOf(CudaException.class).isSameAs(tooBig.failure())
                    .hasMessageStartingWith("cuLaunchKernel failed: CUDA_ERROR_INVALID_");
            assertThat(((CudaException) q.failure(bad)).function()).isEqualTo("cuLaunchKernel");
            assertThat(q.outcome(good)).isEqualTo(Outcome.COMPLETED);
            int[] value = new int[1];
            log.download(value);
            assertThat(value[0]).isEqualTo(5);
        }
        q.close();
    }

    @Test
    void foreignCommandsAreRejectedAtSubmit() {
        XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults());
        assertThatThrownBy(() -> q.submit(HostTask.of("cpu", () -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a CUDA queue runs commands built by xsched.backend.cuda")
                .hasMessageContaining("xsched.backend.host.HostTask");
        q.close();
    }

    @Test
    void anEventOrdersOneQueueAfterAnother() throws Exception {
        XQueue producer = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("producer"));
        XQueue consumer = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("consumer"));
        try (CudaEvent ready = gpu.createEvent(); DeviceBuffer log = gpu.allocate(4); DeviceBuffer cursor = gpu.allocate(4);
             DeviceBuffer copy = gpu.allocate(4)) {
            producer.submit(MemorySet.int32(cursor, 0, 0, 1));
            producer.submit(MemorySet.int32(log, 0, 0, 1));
            producer.submit(kernels.mark(log, cursor, 42, 30_000_000L));
            producer.submit(EventRecord.of(ready));
            // the wait must be enqueued after the record (waiting on an event never recorded does not wait)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (runtime.snapshot().queues.stream().anyMatch(d -> d.id == producer.id() && d.pending > 0)) {
                assertThat(System.nanoTime() - deadline).as("the producer launched its event record within 10 s").isNegative();
                Thread.onSpinWait();
            }
            consumer.submit(EventWait.of(ready));
            long seq = consumer.submit(MemoryCopy.deviceToDevice(log, 0, copy, 0, 4));
            consumer.awaitAll();
            assertThat(consumer.outcome(seq)).isEqualTo(Outcome.COMPLETED);
            int[] value = new int[1];
            copy.download(value);
            assertThat(value[0]).as("the copy waited for the 30 ms kernel").isEqualTo(42);
            producer.awaitAll();
            assertThat(ready.query()).isTrue();
        }
        producer.close();
        consumer.close();
    }

    @Test
    void severalThreadsEachWithTheirOwnQueue() throws Exception {
        int threads = 6;
        int n = 1 << 18;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    float[] a = Gpus.random(n, 100 + id);
                    float[] b = Gpus.random(n, 200 + id);
                    float[] c = new float[n];
                    XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("t" + id));
                    try (DeviceBuffer da = gpu.allocate(4L * n); DeviceBuffer db = gpu.allocate(4L * n);
                         DeviceBuffer dc = gpu.allocate(4L * n)) {
                        da.upload(a);
                        db.upload(b);
                        for (int rep = 0; rep < 50; rep++) {
                            q.submit(kernels.vectorAdd(da, db, dc, n));
                            q.submit(kernels.vectorAdd(dc, db, da, n));
                        }
                        q.awaitAll();
                        dc.download(c);
                    } finally {
                        q.close();
                    }
                    double maxErr = 0;
                    float[] ra = a.clone();
                    for (int i = 0; i < n; i++) {
                        float x = ra[i];
                        float y = 0;
                        for (int rep = 0; rep < 50; rep++) {
                            y = x + b[i];
                            x = y + b[i];
                        }
                        maxErr = Math.max(maxErr, Math.abs(y - c[i]));
                    }
                    return maxErr;
                }));
            }
            for (Future<Double> r : results) {
                assertThat(r.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Level per command: the listing of a level-3 queue says how far a stop reaches while each kind
     * of kernel runs — an opaque fatbin kernel finishes (the gate holds what is behind it), a guarded
     * kernel stops between blocks, an interruptible one inside them.
     */
    @Test
    void theListingSaysHowFarAStopReachesWhileEachKindOfKernelRuns() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(runtime.device("cuda:0").orElseThrow().maxLevel() == PreemptLevel.INTERRUPT,
                "this GPU has no stream gates");
        XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("levels"));
        assertThat(q.level()).isEqualTo(PreemptLevel.INTERRUPT);
        long spinNanos = 300_000_000;
        try (CudaModule opaque = gpu.loadModule(StockKernels.resource("timing.fatbin"));
                StockKernels guarded = StockKernels.load(gpu, StockKernels.Form.GUARDED);
                StockKernels interruptible = StockKernels.load(gpu, StockKernels.Form.INTERRUPTIBLE)) {
            record Case(KernelLaunch kernel, int level, String stopsAt, String note) {
            }
            for (Case c : List.of(new Case(opaque.kernel("spin").launch(Dim3.of(1), Dim3.of(32)).arg(spinNanos).build(), 2, "command", "spin"),
                    new Case(guarded.spin(spinNanos, 1, 32), 2, "part", "not idempotent"),
                    new Case(interruptible.spin(spinNanos, 1, 32), 3, "interrupt", null))) {
                long seq = q.submit(c.kernel());
                xsched.api.dto.QueueDTO dto = listing(q);
                for (long deadline = System.nanoTime() + 10_000_000_000L; dto.inFlight == 0 && System.nanoTime() < deadline; dto = listing(q)) {
                    Thread.sleep(1);
                }
                assertThat(dto.inFlight).as("%s launched and running", c.kernel().describe()).isEqualTo(1);
                assertThat(dto.effectiveLevel).as(c.kernel().describe()).isEqualTo(c.level());
                assertThat(dto.stopsAt).as(c.kernel().describe()).isEqualTo(c.stopsAt());
                if (c.note() == null) {
                    assertThat(dto.levelNote).isNull();
                } else {
                    assertThat(dto.levelNote).contains(c.note());
                }
                q.await(seq, java.time.Duration.ofSeconds(30));
                assertThat(q.outcome(seq)).isEqualTo(Outcome.COMPLETED);
            }
        }
        q.close();
    }

    private xsched.api.dto.QueueDTO listing(XQueue q) {
        return runtime.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow();
    }
}
