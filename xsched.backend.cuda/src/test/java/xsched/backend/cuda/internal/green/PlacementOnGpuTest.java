package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.DeviceDTO;
import xsched.api.dto.QueueDTO;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaKernel;
import xsched.backend.cuda.CudaModule;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.Dim3;
import xsched.backend.cuda.Gpus;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.cuda.internal.GatedStreamQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * SM reservation through the real core on cuda:0: the CUDA backend offers green-context partitions
 * ({@code Backend.Partitioned}), HPF with static placement splits the GPU for a queue with a
 * reservation hint, and the queues moved onto the partitions run their kernels only on their SMs,
 * every kernel exactly once. Skipped without a GPU, and where green contexts are unsupported.
 */
@Tag("gpu")
class PlacementOnGpuTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final int THREADS = 256;
    private static final long SPIN_NANOS = 50_000;

    private CudaGpu gpu;
    private EmbeddedXsched runtime;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() {
        gpu = Gpus.gpu();
        SmPartitions partitions = SmPartitions.probe(gpu);
        assumeTrue(partitions.unsupportedReason().isEmpty(), () -> "skipped: " + partitions.unsupportedReason().orElse(""));
    }

    private void runtime(String placement) {
        runtime = EmbeddedXsched.builder().policy("hpf", HighestPriorityFirst.withPlacement(placement, 0))
                .backend(CudaBackends.over(Gpus.platform())).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    void theDeviceListsItsSmsAsPartitionable() {
        runtime("static");
        DeviceDTO cuda = runtime.snapshot().devices.stream().filter(d -> d.id.equals(gpu.id())).findFirst().orElseThrow();
        System.out.println("[gpu] " + cuda.id + ": " + cuda.computeUnits + " compute units, partitions " + cuda.partitions
                + (cuda.partitionsUnsupported == null ? "" : " unsupported: " + cuda.partitionsUnsupported));
        assertThat(cuda.partitionsUnsupported).isNull();
        assertThat(cuda.computeUnits).isEqualTo(gpu.multiprocessors());
    }

    @Test
    void aReservedQueueRunsOnItsSmsAndTheOthersOnTheRestEveryKernelOnce() throws Exception {
        runtime("static");
        XQueue fg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("fg"));
        XQueue bg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("bg"));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
        runtime.hint(Hint.Reservation.parse(HintTarget.queue(fg.id()), "16"));
        awaitPlaced(fg, bg);
        String fgPartition = dto(fg).partition;
        String bgPartition = dto(bg).partition;
        System.out.println("[gpu] fg on " + fgPartition + ", bg on " + bgPartition);
        assertThat(fgPartition).contains("reserved");
        assertThat(bgPartition).contains("complement");

        CudaModule module = gpu.loadPtx(BlockSmKernel.PTX);
        cleanup.add(module);
        SmUse used = interleaved(fg, bg, module.kernel(BlockSmKernel.NAME), 0, 20);
        Set<Integer> fgSms = used.fg();
        Set<Integer> bgSms = used.bg();
        System.out.printf("[gpu] SMs used: fg %d %s, bg %d%n", fgSms.size(), fgSms, bgSms.size());
        assertThat(fgSms).as("the reserved queue's SMs").isNotEmpty().hasSizeLessThanOrEqualTo(16);
        assertThat(bgSms).as("the others' SMs").hasSizeGreaterThan(16).doesNotContainAnyElementsOf(fgSms);
    }

    /**
     * A shared reservation: the reserved queue runs on its SMs only, the other queue stays on the
     * whole GPU (no partition) and runs on the reserved SMs too when they are free; every kernel
     * once, nothing moved.
     */
    @Test
    void aSharedReservationConfinesTheReservedQueueAndLeavesTheOthersTheWholeGpu() throws Exception {
        runtime("shared");
        XQueue fg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("fg"));
        XQueue bg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("bg"));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
        runtime.hint(Hint.Reservation.parse(HintTarget.queue(fg.id()), "16"));
        awaitCondition("fg on its partition", () -> dto(fg).partition != null);
        assertThat(dto(fg).partition).contains("reserved");
        assertThat(dto(bg).partition).as("the other queue stays on the whole GPU").isNull();

        CudaModule module = gpu.loadPtx(BlockSmKernel.PTX);
        cleanup.add(module);
        SmUse used = interleaved(fg, bg, module.kernel(BlockSmKernel.NAME), 10, 10);
        Set<Integer> fgSms = used.fg();
        Set<Integer> bgSms = used.bg();
        System.out.printf("[gpu] shared: fg SMs %d %s, bg SMs %d%n", fgSms.size(), fgSms, bgSms.size());
        assertThat(fgSms).as("the reserved queue's SMs").isNotEmpty().hasSizeLessThanOrEqualTo(16);
        assertThat(bgSms).as("the other queue's SMs: the whole GPU, the reserved ones included")
                .hasSize(gpu.multiprocessors()).containsAll(fgSms);
        assertThat(dto(fg).partition).as("nothing moved").contains("reserved");
        assertThat(dto(bg).partition).isNull();
    }

    /**
     * A queue on the complement that its policy keeps stopping (a higher-priority queue there comes
     * and goes) has its preemptible kernels cut short and the rest relaunched: on a stream of the
     * complement too, so no block of it ever runs on the reserved SMs.
     */
    @Test
    void kernelsCutShortOnAPartitionAreRelaunchedOnItsOwnSms() throws Exception {
        runtime("static");
        XQueue fg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("fg"));
        XQueue low = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("low"));
        XQueue high = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("high"));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
        runtime.hint(new Hint.Priority(HintTarget.queue(high.id()), 1));
        runtime.hint(Hint.Reservation.parse(HintTarget.queue(fg.id()), "16"));
        awaitPlaced(fg, low);
        long relaunchedBefore = GatedStreamQueue.relaunchesInProcess();
        CudaModule module = gpu.loadPreemptible(BlockSmKernel.PTX, Set.of(BlockSmKernel.NAME));
        cleanup.add(module);
        CudaKernel kernel = module.kernel(BlockSmKernel.NAME);
        int blocks = 8 * gpu.multiprocessors();
        List<DeviceBuffer> lowOut = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            DeviceBuffer b = BlockSms.unset(gpu, blocks, cleanup);
            lowOut.add(b);
            low.submit(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), b, 4 * SPIN_NANOS));
        }
        List<DeviceBuffer> highOut = new ArrayList<>();
        for (int burst = 0; burst < 20; burst++) {
            LockSupport.parkNanos(2_000_000);
            DeviceBuffer b = BlockSms.unset(gpu, 64, cleanup);
            highOut.add(b);
            high.submit(kernel.launch(Dim3.of(64), Dim3.of(THREADS), b, SPIN_NANOS));
            high.awaitAll();
        }
        DeviceBuffer f = BlockSms.unset(gpu, blocks, cleanup);
        fg.submit(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), f, SPIN_NANOS));
        fg.awaitAll();
        low.awaitAll();
        for (XQueue q : List.of(fg, low, high)) {
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertThat(q.outcome(seq)).as("kernel %d of %s", seq, q.name()).isEqualTo(Outcome.COMPLETED);
            }
        }
        long relaunched = GatedStreamQueue.relaunchesInProcess() - relaunchedBefore;
        System.out.println("[gpu] guarded launches relaunched: " + relaunched);
        assumeTrue(relaunched > 0, "no stop cut a kernel short this time: nothing was relaunched, so nothing to check");
        Set<Integer> fgSms = new TreeSet<>(BlockSms.of(f, blocks));
        Set<Integer> lowSms = new TreeSet<>();
        lowOut.forEach(b -> lowSms.addAll(BlockSms.of(b, blocks)));
        highOut.forEach(b -> lowSms.addAll(BlockSms.of(b, 64)));
        System.out.printf("[gpu] SMs used: fg %d %s, complement queues %d%n", fgSms.size(), fgSms, lowSms.size());
        assertThat(fgSms).as("the reserved queue's SMs").isNotEmpty().hasSizeLessThanOrEqualTo(16);
        assertThat(lowSms).as("the complement's queues' SMs, relaunched blocks included").doesNotContainAnyElementsOf(fgSms);
    }

    /**
     * Dynamic placement moves the background queue onto the complement while the reserved queue is
     * READY and back onto the whole GPU when it is IDLE, at command boundaries, while the
     * background's kernels keep coming: every kernel runs exactly once, in order.
     */
    @Test
    void aQueueMovedBetweenPartitionsUnderLoadRunsEveryKernelOnceInOrder() throws Exception {
        runtime("dynamic");
        StockKernels stock = StockKernels.load(gpu);
        cleanup.add(stock);
        XQueue fg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("fg"));
        XQueue bg = runtime.createQueue(gpu.id(), QueueOptions.defaults().withName("bg"));
        runtime.hint(new Hint.Priority(HintTarget.queue(fg.id()), 5));
        runtime.hint(Hint.Reservation.parse(HintTarget.queue(fg.id()), "16"));
        int bgKernels = 3000;
        DeviceBuffer bgLog = BlockSms.unset(gpu, bgKernels, cleanup);
        DeviceBuffer bgCursor = zero();
        int rounds = 4;
        int perRound = 5;
        DeviceBuffer fgLog = BlockSms.unset(gpu, rounds * perRound, cleanup);
        DeviceBuffer fgCursor = zero();
        Set<String> bgPartitions = new TreeSet<>();
        int next = 0;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < bgKernels / rounds; k++, next++) {
                bg.submit(stock.mark(bgLog, bgCursor, next, 20_000));
            }
            // a long first kernel keeps the reserved queue READY until the background was seen on the complement
            for (int k = 0; k < perRound; k++) {
                fg.submit(stock.mark(fgLog, fgCursor, round * perRound + k, k == 0 ? 200_000_000L : 1_000_000L));
            }
            awaitCondition("bg moved onto the complement in round " + round, () -> partitionOf(bg).contains("complement"));
            bgPartitions.add(partitionOf(bg));
            fg.awaitAll();
            awaitCondition("bg back on the whole GPU in round " + round, () -> partitionOf(bg).equals("whole"));
            bgPartitions.add(partitionOf(bg));
        }
        bg.awaitAll();
        System.out.println("[gpu] bg ran on " + bgPartitions + ", " + bgKernels + " kernels");
        assertThat(bgPartitions).hasSize(2);
        assertLog(bgLog, bgCursor, bgKernels, "bg");
        assertLog(fgLog, fgCursor, rounds * perRound, "fg");
    }

    /** The SMs each queue's blocks ran on. */
    private record SmUse(Set<Integer> fg, Set<Integer> bg) {
    }

    /**
     * Launches {@link BlockSmKernel}s: {@code bgFirst} on bg alone, then {@code kernels} on each
     * queue, interleaved; waits for all; every one must have completed.
     */
    private SmUse interleaved(XQueue fg, XQueue bg, CudaKernel kernel, int bgFirst, int kernels) throws InterruptedException {
        int blocks = 8 * gpu.multiprocessors();
        List<DeviceBuffer> fgOut = new ArrayList<>();
        List<DeviceBuffer> bgOut = new ArrayList<>();
        for (int k = 0; k < bgFirst; k++) {
            DeviceBuffer b = BlockSms.unset(gpu, blocks, cleanup);
            bgOut.add(b);
            bg.submit(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), b, SPIN_NANOS));
        }
        bg.awaitAll();
        for (int k = 0; k < kernels; k++) {
            DeviceBuffer f = BlockSms.unset(gpu, blocks, cleanup);
            DeviceBuffer b = BlockSms.unset(gpu, blocks, cleanup);
            fgOut.add(f);
            bgOut.add(b);
            bg.submit(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), b, SPIN_NANOS));
            fg.submit(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), f, SPIN_NANOS));
        }
        fg.awaitAll();
        bg.awaitAll();
        for (XQueue q : List.of(fg, bg)) {
            for (long seq = 1; seq <= q.submitted(); seq++) {
                assertThat(q.outcome(seq)).as("kernel %d of %s", seq, q.name()).isEqualTo(Outcome.COMPLETED);
            }
        }
        Set<Integer> fgSms = new TreeSet<>();
        Set<Integer> bgSms = new TreeSet<>();
        fgOut.forEach(b -> fgSms.addAll(BlockSms.of(b, blocks)));
        bgOut.forEach(b -> bgSms.addAll(BlockSms.of(b, blocks)));
        return new SmUse(fgSms, bgSms);
    }

    private String partitionOf(XQueue q) {
        String partition = dto(q).partition;
        return partition == null ? "whole" : partition;
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            LockSupport.parkNanos(200_000);
        }
    }

    private DeviceBuffer zero() {
        DeviceBuffer buffer = gpu.allocate(4);
        cleanup.add(buffer);
        buffer.upload(new int[1]);
        return buffer;
    }

    private static void assertLog(DeviceBuffer log, DeviceBuffer cursor, int expected, String queue) {
        int[] values = new int[expected];
        int[] count = new int[1];
        log.download(values);
        cursor.download(count);
        assertThat(count[0]).as("kernels of %s that ran (each exactly once)", queue).isEqualTo(expected);
        for (int v = 0; v < expected; v++) {
            assertThat(values[v]).as("%s position %d", queue, v).isEqualTo(v);
        }
    }

    private void awaitPlaced(XQueue fg, XQueue bg) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (dto(fg).partition == null || dto(bg).partition == null) {
            assertThat(System.nanoTime() - deadline).as("waiting for the split: %s", runtime.snapshot().queues).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    private QueueDTO dto(XQueue q) {
        return runtime.snapshot().queues.stream().filter(d -> Objects.equals(d.id, q.id())).findFirst().orElseThrow();
    }


}
