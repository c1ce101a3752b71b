package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.Gpus;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.SuspendResumeChaos;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.SyncPoint;

/**
 * Level 2 by stream gates on cuda:0: held work runs exactly once and in order, nothing of a
 * suspended queue runs, the gate budget keeps a foreground stream running however many queues are
 * suspended, close never hangs on a gate, and real kernels compute right through gates. The
 * {@code mark} kernel appends each command's number to a per-queue log ({@code
 * log[atomicAdd(cursor, 1)] = v}); the logs have room for twice the commands, so a command that ran
 * twice shows in the cursor instead of writing out of bounds.
 */
@Tag("gpu")
class GateOnGpuTest {
    private static final long CAP_NANOS = 30_000_000_000L;

    private CudaPlatform platform;
    private CudaGpu gpu;
    private StockKernels kernels;
    private EmbeddedXsched runtime;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() {
        platform = Gpus.platform();
        gpu = platform.gpu(0);
        assumeTrue(QueueAccess.gateSupport(gpu), () -> "skipped: no level 2 on " + gpu + ": " + gpu.gateUnsupportedReason().orElse(""));
        kernels = StockKernels.load(gpu);
        runtime = EmbeddedXsched.builder().manualScheduling().backend(CudaBackends.over(platform, true)).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (kernels != null) {
            kernels.close();
        }
    }

    private XQueue queue(String name, LaunchConfig config) {
        XQueue q = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName(name).withLaunch(config));
        assertThat(q.level()).isEqualTo(PreemptLevel.INTERRUPT);
        cleanup.add(q);
        return q;
    }

    private DeviceBuffer zeroed(long ints) {
        DeviceBuffer b = gpu.allocate(4L * ints);
        b.upload(new int[(int) ints]);
        cleanup.add(b);
        return b;
    }

    private static int read(DeviceBuffer cursor) {
        int[] v = new int[1];
        cursor.download(v);
        return v[0];
    }

    private int pending(XQueue q) {
        return runtime.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().pending;
    }

    private int inFlight(XQueue q) {
        return runtime.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow().inFlight;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + CAP_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("%s within 30 s", what).isNegative();
            Thread.onSpinWait();
        }
    }

    private static void assertLog(DeviceBuffer log, DeviceBuffer cursor, int expected, String queue) {
        int[] values = new int[expected];
        log.download(values);
        assertThat(read(cursor)).as("commands of %s that ran (each exactly once)", queue).isEqualTo(expected);
        for (int v = 0; v < expected; v++) {
            assertThat(values[v]).as("%s position %d", queue, v).isEqualTo(v);
        }
    }

    @Test
    void everyCommandRunsExactlyOnceInOrderUnderAStormOfSuspendAndResume() throws Exception {
        int queues = 3;
        int perQueue = 300;
        List<XQueue> qs = new ArrayList<>();
        List<DeviceBuffer> logs = new ArrayList<>();
        List<DeviceBuffer> cursors = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            qs.add(queue("storm" + i, new LaunchConfig(8 + 8 * i, 2 + 2 * i)));
            logs.add(zeroed(2L * perQueue));
            cursors.add(zeroed(1));
        }
        SuspendResumeChaos chaos = new SuspendResumeChaos(qs, perQueue, 11, 100_000, 900_000);
        for (int v = 0; v < perQueue; v++) {
            for (int i = 0; i < queues; i++) {
                qs.get(i).submit(kernels.mark(logs.get(i), cursors.get(i), v, 50_000 + 50_000L * (v % 4)));
            }
        }
        chaos.submitted();
        chaos.join(120_000);
        assertThat(chaos.alive()).isFalse();
        qs.forEach(XQueue::resume);
        for (XQueue q : qs) {
            q.awaitAll();
        }
        assertThat(chaos.toggles()).isGreaterThan(40);
        for (int i = 0; i < queues; i++) {
            assertLog(logs.get(i), cursors.get(i), perQueue, "queue " + i);
        }
    }

    @Test
    void aSuspendedQueuesLaunchedCommandsAreHeldUntilResumed() throws Exception {
        int n = 40;
        XQueue q = queue("held", new LaunchConfig(16, 4));
        DeviceBuffer log = zeroed(2L * n);
        DeviceBuffer cursor = zeroed(1);
        for (int v = 0; v < n; v++) {
            q.submit(kernels.mark(log, cursor, v, 300_000));
        }
        awaitCondition("the first command ran", () -> read(cursor) > 0);
        q.suspend();
        int atStop = read(cursor);
        int launched = inFlight(q);
        Thread.sleep(30);
        assertThat(read(cursor)).as("nothing ran while suspended").isEqualTo(atStop);
        assertThat(atStop).isBetween(1, n - 1);
        assertThat(launched).as("launched commands held on the device, still in flight").isPositive();
        q.resume();
        q.awaitAll();
        assertLog(log, cursor, n, "the held queue");
    }

    @Test
    void aForegroundStreamRunsWithMoreQueuesSuspendedThanTheGateBudget() throws Exception {
        int budget = platform.gateBudget();
        int extra = 3;
        int per = 8;
        GateBudget gates = GateControl.budget(QueueAccess.context(gpu), platform.connections());
        long fallbacksBefore = gates.fallbacks();
        List<XQueue> qs = new ArrayList<>();
        List<DeviceBuffer> logs = new ArrayList<>();
        List<DeviceBuffer> cursors = new ArrayList<>();
        for (int i = 0; i < budget + extra; i++) {
            XQueue q = queue("bg" + i, new LaunchConfig(per, 1));
            qs.add(q);
            logs.add(zeroed(2L * per));
            cursors.add(zeroed(1));
            for (int v = 0; v < per; v++) {
                q.submit(kernels.mark(logs.get(i), cursors.get(i), v, 20_000_000));
            }
        }
        for (XQueue q : qs) {
            awaitCondition("all of " + q + " launched", () -> pending(q) == 0);
        }
        try {
            // all at once: one after the other, the first queues' work could end before the last are suspended
            List<Thread> suspending = new ArrayList<>();
            for (XQueue q : qs) {
                suspending.add(Thread.ofPlatform().start(q::suspend));
            }
            for (Thread t : suspending) {
                t.join(30_000);
            }
            assertThat(gates.closed()).as("gates closed at once").isLessThanOrEqualTo(budget);
            assertThat(gates.fallbacks() - fallbacksBefore).as("suspensions beyond the budget fell back to level 1")
                    .isGreaterThanOrEqualTo(extra);
            int ranWhileSuspended = 0;
            for (DeviceBuffer c : cursors) {
                ranWhileSuspended += read(c);
            }
            assertThat(ranWhileSuspended).as("work is held behind the gates").isLessThan(qs.size() * per);

            AtomicBoolean foregroundDone = new AtomicBoolean();
            Thread foreground = Thread.ofPlatform().start(() -> {
                try (NativeStream fg = new NativeStream(gpu, 0)) {
                    fg.bind();
                    for (int i = 0; i < 4; i++) {
                        fg.launch(kernels.spin(500_000, 4, 128));
                    }
                    fg.synchronize();
                    foregroundDone.set(true);
                }
            });
            foreground.join(20_000);
            assertThat(foregroundDone.get()).as("a foreground stream completed while %d queues were suspended", qs.size()).isTrue();
        } finally {
            qs.forEach(XQueue::resume);
        }
        for (XQueue q : qs) {
            q.awaitAll();
        }
        for (int i = 0; i < qs.size(); i++) {
            assertLog(logs.get(i), cursors.get(i), per, "queue " + i);
        }
        assertThat(gates.closed()).isZero();
    }

    @Test
    void closingASuspendedQueueRunsItsHeldWorkOnceAndDoesNotHang() throws Exception {
        int n = 10;
        XQueue q = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("closing").withLaunch(new LaunchConfig(16, 2)));
        DeviceBuffer log = zeroed(2L * n);
        DeviceBuffer cursor = zeroed(1);
        for (int v = 0; v < n; v++) {
            q.submit(kernels.mark(log, cursor, v, 20_000_000)); // 200 ms in all: the suspend lands while they run
        }
        // launched = in flight or already retired (a first mark may end before the last is launched)
        awaitCondition("all launched", () -> inFlight(q) + q.finished() == n);
        q.suspend();
        assertThat(read(cursor)).isLessThan(n);
        Thread closer = Thread.ofPlatform().start(q::close);
        closer.join(30_000);
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        gpu.synchronize();
        assertLog(log, cursor, n, "the closed queue");
    }

    @Test
    void theHardwareQueueHoldsAndReleasesWorkAndCloseOpensItsGate() throws Exception {
        int n = 12;
        DeviceBuffer log = zeroed(2L * n);
        DeviceBuffer cursor = zeroed(1);
        GatedStreamQueue hw = GatedStreamQueue.open(gpu, 0);
        List<SyncPoint> points = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            KernelLaunch k = kernels.mark(log, cursor, v, 1_000_000);
            hw.accept(k);
            hw.launch(k);
            if (v % 3 == 2) {
                points.add(hw.record());
            }
        }
        awaitCondition("the first command ran", () -> read(cursor) > 0);
        hw.deactivate();
        int atStop = read(cursor);
        assertThat(hw.gateClosed()).isTrue();
        assertThat(hw.heldBatches()).isPositive();
        assertThat(atStop).isBetween(1, n - 1);
        assertThat(points.getLast().reached()).as("a point behind the gate is not reached, nor cancelled").isFalse();
        Thread.sleep(20);
        assertThat(read(cursor)).isEqualTo(atStop);
        hw.reactivate(List.of());
        assertThat(points.getLast().await()).isTrue();
        assertLog(log, cursor, n, "the hardware queue");

        KernelLaunch late = kernels.mark(log, cursor, n, 1_000_000);
        hw.accept(late);
        hw.launch(late);
        hw.deactivate();
        KernelLaunch whileStopped = kernels.mark(log, cursor, n + 1, 0);
        hw.accept(whileStopped);
        hw.launch(whileStopped);
        Thread.sleep(10);
        assertThat(read(cursor)).as("a command launched while deactivated waits").isLessThanOrEqualTo(n + 1);
        Thread closer = Thread.ofPlatform().start(hw::close);
        closer.join(30_000);
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertLog(log, cursor, n + 2, "the hardware queue after close");
    }

    @Test
    void sgemmThroughGatesMatchesTheCpu() throws Exception {
        XQueue q = queue("gemm", new LaunchConfig(4, 2));
        int[][] sizes = {{17, 33, 9}, {128, 96, 200}, {255, 257, 130}};
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
                for (int rep = 0; rep < 6; rep++) {
                    q.submit(kernels.sgemm(da, db, dc, m, n, k));
                }
                q.suspend();
                q.resume();
                q.awaitAll();
                dc.download(c);
            }
            assertThat(Gpus.relativeError(c, Gpus.gemm(a, b, m, n, k))).as("gemm %dx%dx%d", m, n, k).isLessThan(1e-5);
        }
    }
}
