package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.cuda.internal.StreamQueue;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A backend swap on cuda:0: platform A (the old backend version) is retired while the
 * application's buffers, module and event live on; platform B (the new version) runs commands
 * built with A's objects, in the same primary context, and A lets go of its retain when the last
 * of them is closed. Then the same through the runtime: an XQueue moves from A's backend to B's.
 */
@Tag("gpu")
class BackendSwapGpuTest {
    /** Per test, so that without a GPU each test is reported as skipped. */
    @BeforeEach
    void requireGpu() {
        Gpus.platform();
    }

    private final List<CudaPlatform> platforms = new ArrayList<>();

    @AfterEach
    void closePlatforms() {
        platforms.reversed().forEach(CudaPlatform::close);
    }

    private CudaPlatform open() throws CudaUnavailableException {
        CudaPlatform platform = CudaPlatform.open();
        platforms.add(platform);
        return platform;
    }

    private static boolean active(CudaGpu gpu) {
        return CudaDriver.primaryContextActive(gpu.cuDevice());
    }

    private static void run(HwQueue queue, HwCommand... commands) throws Exception {
        for (HwCommand command : commands) {
            queue.accept(command);
            queue.launch(command);
        }
        SyncPoint done = queue.record();
        done.await();
        done.close();
        for (HwCommand command : commands) {
            assertThat(command.failure()).as(command.describe()).isNull();
        }
    }

    @Test
    void applicationStateOutlivesTheRetiredPlatformAndRunsOnTheNewOne() throws Exception {
        Gpus.closeShared();
        CudaPlatform a = open();
        CudaGpu oldGpu = a.gpu(0);
        int n = 1 << 16;
        int[] pattern = new int[n];
        Arrays.setAll(pattern, i -> i * 0x9E3779B1 ^ 0x5A5A5A5A);
        DeviceBuffer data = oldGpu.allocate(4L * n);
        data.upload(pattern);
        CudaModule timing = oldGpu.loadModule(StockKernels.resource("timing.ptx"));
        DeviceBuffer log = oldGpu.allocate(4);
        DeviceBuffer cursor = oldGpu.allocate(4);
        CudaEvent event = oldGpu.createEvent();
        HwQueue oldQueue = StreamQueue.open(oldGpu, 0);

        a.retire();

        assertThat(oldGpu.retired()).isTrue();
        assertThat(oldGpu.closed()).isFalse();
        assertThat(oldGpu.openResources()).isEqualTo(5);
        assertThatThrownBy(() -> oldQueue.launch(MemorySet.int32(cursor, 0, 0, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was closed");
        assertThatThrownBy(() -> StreamQueue.open(oldGpu, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to a retired CUDA backend");
        assertThatThrownBy(() -> oldGpu.allocate(64)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to a retired CUDA backend");
        assertThat(active(oldGpu)).as("A's retain keeps the primary context").isTrue();

        CudaPlatform b = open();
        CudaGpu newGpu = b.gpu(0);
        assertThat(newGpu).isNotSameAs(oldGpu);
        assertThat(newGpu.context()).as("the same primary context").isEqualTo(oldGpu.context());
        int[] readBack = new int[n];
        try (PinnedBuffer out = newGpu.allocatePinned(4L * n)) {
            HwQueue queue = StreamQueue.open(newGpu, 0);
            try {
                run(queue, MemoryCopy.deviceToHost(data, out), MemorySet.int32(cursor, 0, 0, 1),
                        timing.kernel("mark").launch(Dim3.of(1), Dim3.of(32), log, cursor, 1234, 1000L), EventRecord.of(event));
            } finally {
                queue.close();
            }
            MemorySegment.copy(out.segment(), ValueLayout.JAVA_INT, 0, readBack, 0, n);
        }
        assertThat(readBack).as("A's buffer read through B's queue").isEqualTo(pattern);
        assertThat(event.query()).isTrue();
        int[] marked = new int[1];
        log.download(marked);
        assertThat(marked[0]).as("a kernel of A's module ran on B's queue").isEqualTo(1234);

        for (GpuResource r : List.of(data, timing, log, event)) {
            r.close();
        }
        assertThat(oldGpu.closed()).as("one resource is still open").isFalse();
        b.close();
        assertThat(active(newGpu)).as("B is closed, A still holds the context for its last buffer").isTrue();
        cursor.download(marked);
        assertThat(marked[0]).isEqualTo(1);
        cursor.close();
        assertThat(oldGpu.closed()).isTrue();
        assertThat(active(newGpu)).as("A released its retain with its last application resource").isFalse();
        assertThatThrownBy(oldGpu::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("was released");
    }

    @Test
    @Timeout(120)
    void anXQueueMovesToTheNewBackendAndRunsEveryCommandOnce() throws Exception {
        int n = 300;
        CudaPlatform a = open();
        CudaGpu oldGpu = a.gpu(0);
        Backend oldBackend = CudaBackends.over(a);
        EmbeddedXsched runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).backend(oldBackend).build();
        StockKernels kernels = StockKernels.load(oldGpu);
        DeviceBuffer log = oldGpu.allocate(4L * 2 * n);
        DeviceBuffer cursor = oldGpu.allocate(4);
        int[] none = new int[2 * n];
        Arrays.fill(none, -1);
        log.upload(none);
        cursor.upload(new int[1]);
        List<Long> seqs = new ArrayList<>();
        try {
            XQueue queue = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("swap"));
            for (int i = 0; i < n / 2; i++) {
                seqs.add(queue.submit(kernels.mark(log, cursor, i, 200_000)));
            }
            Thread.sleep(5);

            runtime.removeBackend(oldBackend);
            long finishedAtTheSwap = queue.finished();
            System.out.printf("[gpu] backend swap: %d of %d commands had run on the old backend%n", finishedAtTheSwap, n / 2);
            for (int i = n / 2; i < 3 * n / 4; i++) {
                seqs.add(queue.submit(kernels.mark(log, cursor, i, 20_000)));
            }
            a.retire();
            CudaPlatform b = open();
            runtime.addBackend(CudaBackends.over(b));
            for (int i = 3 * n / 4; i < n; i++) {
                seqs.add(queue.submit(kernels.mark(log, cursor, i, 20_000)));
            }
            queue.awaitAll();

            assertThat(finishedAtTheSwap).as("commands were still pending when the backend went").isLessThan(n / 2);
            assertThat(seqs).allSatisfy(seq -> assertThat(queue.outcome(seq)).isEqualTo(Outcome.COMPLETED));
            queue.close();
        } finally {
            runtime.close();
        }
        int[] count = new int[1];
        cursor.download(count);
        int[] order = new int[2 * n];
        log.download(order);
        int[] expected = new int[2 * n];
        Arrays.setAll(expected, i -> i < n ? i : -1);
        assertThat(count[0]).as("kernels run").isEqualTo(n);
        assertThat(order).as("each kernel once, in order").isEqualTo(expected);
        assertThat(oldGpu.closed()).isFalse();
        kernels.close();
        log.close();
        cursor.close();
        assertThat(oldGpu.closed()).as("the retired GPU let go with its last resource").isTrue();
    }
    /**
     * The live upgrade: queues running at level 1 under load move to a backend with gates (what a
     * configuration change or an update of the bundle does) and run at level 2 from then on; a queue
     * that asked for level 1 stays there; nothing is lost or run twice, in order.
     */
    @Test
    @Timeout(120)
    void anUpgradeFromLevelOneToGatesRaisesRunningQueuesAndRunsEveryCommandOnce() throws Exception {
        int n = 400;
        CudaPlatform platform = open();
        CudaGpu gpu = platform.gpu(0);
        assumeTrue(gpu.device().maxLevel().number() >= 2, "this GPU has no stream gates");
        Backend levelOne = CudaBackends.over(platform, false);
        EmbeddedXsched runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).backend(levelOne).build();
        StockKernels kernels = StockKernels.load(gpu);
        DeviceBuffer log = gpu.allocate(4L * n);
        DeviceBuffer cursor = gpu.allocate(4);
        cursor.upload(new int[1]);
        List<Long> seqs = new ArrayList<>();
        try {
            XQueue queue = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("upgraded"));
            XQueue pinned = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("pinned").withLevel(PreemptLevel.LAUNCH));
            assertThat(queue.level()).isEqualTo(PreemptLevel.LAUNCH);
            for (int i = 0; i < n / 2; i++) {
                seqs.add(queue.submit(kernels.mark(log, cursor, i, 100_000)));
            }
            Thread.sleep(5);
            // what a configuration change or an update of the bundle does: the old backend goes, the new one comes
            runtime.removeBackend(levelOne);
            runtime.addBackend(CudaBackends.over(platform, true));
            for (int i = n / 2; i < n; i++) {
                seqs.add(queue.submit(kernels.mark(log, cursor, i, 100_000)));
                if (i == 3 * n / 4) {
                    queue.suspend();
                    queue.resume();
                }
            }
            queue.awaitAll();
            assertThat(queue.level()).as("the queue that asked for the highest level").isEqualTo(PreemptLevel.INTERRUPT);
            assertThat(pinned.level()).as("the queue that asked for level 1").isEqualTo(PreemptLevel.LAUNCH);
            assertThat(seqs).allSatisfy(seq -> assertThat(queue.outcome(seq)).isEqualTo(Outcome.COMPLETED));
            queue.close();
            pinned.close();
        } finally {
            runtime.close();
        }
        int[] count = new int[1];
        cursor.download(count);
        int[] order = new int[n];
        log.download(order);
        int[] expected = new int[n];
        Arrays.setAll(expected, i -> i);
        assertThat(count[0]).as("kernels run").isEqualTo(n);
        assertThat(order).as("each kernel once, in order").isEqualTo(expected);
        kernels.close();
        log.close();
        cursor.close();
        platform.close();
    }
}
