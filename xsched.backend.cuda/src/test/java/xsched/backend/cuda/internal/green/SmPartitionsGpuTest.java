package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaKernel;
import xsched.backend.cuda.CudaModule;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.Dim3;
import xsched.backend.cuda.Gpus;
import xsched.backend.cuda.MemorySet;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.internal.StreamQueue;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * SM partitions by green contexts on cuda:0, driven through the backend's own queues over the
 * partitions' streams ({@link StreamQueue#over}): the driver gives what the rounding predicts,
 * blocks of the reserved stream run only on its SMs and never on the complement's, and real kernels
 * compute right on either side. Skipped without a GPU, and where green contexts are unsupported.
 */
@Tag("gpu")
class SmPartitionsGpuTest {
    private static final int RESERVED = 16;
    private static final long SPIN_NANOS = 50_000;
    private static final int THREADS = 256;

    private CudaGpu gpu;
    private SmPartitions partitions;
    private SmGranularity granularity;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() {
        gpu = Gpus.gpu();
        partitions = SmPartitions.probe(gpu);
        System.out.println("[gpu] " + partitions);
        assumeTrue(partitions.unsupportedReason().isEmpty(), () -> "skipped: " + partitions.unsupportedReason().orElse(""));
        granularity = partitions.granularity().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    void theDriverDescribesTheDevicesSms() {
        assertThat(granularity.smCount()).isEqualTo(gpu.multiprocessors());
        assertThat(granularity.minPartition()).isBetween(1, granularity.smCount());
        assertThat(granularity.alignment()).isBetween(1, granularity.smCount());
        assertThat(granularity.maxReservable()).isPositive();
    }

    @Test
    void eachPartitionGetsWhatTheRoundingPredictsAndTheComplementTheRest() {
        for (int requested : new int[] {1, granularity.minPartition() + 1, RESERVED, granularity.maxReservable()}) {
            if (requested > granularity.maxReservable()) {
                continue;
            }
            try (SmPartitioning p = partitions.open(requested).orElseThrow()) {
                System.out.println("[gpu] " + p);
                assertThat(p.reserved().smCount()).as("SMs for %d asked", requested).isEqualTo(granularity.reservable(requested));
                assertThat(p.reserved().smCount() + p.complement().smCount()).isEqualTo(granularity.smCount());
                assertThat(p.reserved().reserved()).isTrue();
                assertThat(p.complement().reserved()).isFalse();
                assertThat(p.partitions()).containsExactly(p.reserved(), p.complement());
                assertThat(p.reserved().streamHandle()).isNotZero().isNotEqualTo(p.complement().streamHandle());
                assertThat(p.reserved().context().address()).isNotZero().isNotEqualTo(p.complement().context().address());
            }
        }
    }

    @Test
    void aRequestThatLeavesNoComplementIsRefusedBeforeTheDriverIsAsked() {
        assertThatThrownBy(() -> partitions.open(granularity.smCount())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leave none for the rest");
    }

    @Test
    void closingTwiceIsHarmlessAndTheSmsCanBePartitionedAgain() {
        SmPartitioning first = partitions.open(RESERVED).orElseThrow();
        first.close();
        first.close();
        assertThat(first.closed()).isTrue();

        try (SmPartitioning second = partitions.open(RESERVED).orElseThrow()) {
            assertThat(second.reserved().smCount()).isEqualTo(first.reserved().smCount());
        }
    }

    /** What the queues over partition streams rely on; fails alone, and plainly, if the driver refuses it. */
    @Test
    void anEventOfThePrimaryContextRecordsOnAPartitionStream() {
        SmPartitioning p = partitions.open(RESERVED).orElseThrow();
        cleanup.add(p);
        QueueAccess.bind(gpu);
        long event = CudaDriver.eventCreate(CudaNative.CU_EVENT_DISABLE_TIMING);
        try {
            for (SmPartition side : p.partitions()) {
                CudaDriver.eventRecord(event, side.streamHandle());
                CudaDriver.eventSynchronize(event);
                assertThat(CudaDriver.eventQuery(event)).isTrue();
            }
        } finally {
            CudaDriver.eventDestroy(event);
        }
    }

    @Test
    void blocksOfTheReservedStreamStayOnItsSmsAndOffTheComplements() throws Exception {
        SmPartitioning p = partitions.open(RESERVED).orElseThrow();
        cleanup.add(p);
        CudaModule module = gpu.loadPtx(BlockSmKernel.PTX);
        cleanup.add(module);
        CudaKernel kernel = module.kernel(BlockSmKernel.NAME);
        int blocks = 16 * granularity.smCount();
        HwQueue reserved = queueOver(p.reserved());
        HwQueue complement = queueOver(p.complement());
        HwQueue ordinary = StreamQueue.open(gpu, 0);
        cleanup.add(ordinary);
        DeviceBuffer[] out = {BlockSms.unset(gpu, blocks, cleanup), BlockSms.unset(gpu, blocks, cleanup), BlockSms.unset(gpu, blocks, cleanup)};

        // Both partitions at once, so each could spill onto the other's SMs if the partition did not hold.
        reserved.launch(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), out[0], SPIN_NANOS));
        complement.launch(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), out[1], SPIN_NANOS));
        await(reserved);
        await(complement);
        ordinary.launch(kernel.launch(Dim3.of(blocks), Dim3.of(THREADS), out[2], SPIN_NANOS));
        await(ordinary);

        Set<Integer> onReserved = BlockSms.of(out[0], blocks);
        Set<Integer> onComplement = BlockSms.of(out[1], blocks);
        Set<Integer> onAll = BlockSms.of(out[2], blocks);
        System.out.printf("[gpu] SMs used: reserved %d of %d %s, complement %d of %d, ordinary stream %d%n", onReserved.size(),
                p.reserved().smCount(), onReserved, onComplement.size(), p.complement().smCount(), onAll.size());
        assertThat(onAll.size()).as("the kernel spreads over more SMs than the partition has when it may, "
                + "so the bound below means something").isGreaterThan(p.reserved().smCount());
        assertThat(onReserved).isNotEmpty().hasSizeLessThanOrEqualTo(p.reserved().smCount());
        assertThat(onComplement).hasSizeLessThanOrEqualTo(p.complement().smCount()).hasSizeGreaterThan(p.reserved().smCount());
        assertThat(onReserved).doesNotContainAnyElementsOf(onComplement);
    }

    @Test
    void realKernelsComputeRightOnEitherPartition() throws Exception {
        SmPartitioning p = partitions.open(RESERVED).orElseThrow();
        cleanup.add(p);
        StockKernels kernels = StockKernels.load(gpu);
        cleanup.add(kernels);
        int n = 1 << 20;
        int m = 96;
        int k = 64;
        int cols = 80;
        float[] a = Gpus.random(n, 1);
        float[] b = Gpus.random(n, 2);
        float[] ma = Gpus.random(m * k, 3);
        float[] mb = Gpus.random(k * cols, 4);
        double[] product = Gpus.gemm(ma, mb, m, cols, k);
        DeviceBuffer da = floats(a);
        DeviceBuffer db = floats(b);
        DeviceBuffer dma = floats(ma);
        DeviceBuffer dmb = floats(mb);

        for (SmPartition side : p.partitions()) {
            HwQueue q = queueOver(side);
            DeviceBuffer sum = BlockSms.unset(gpu, n, cleanup);
            DeviceBuffer dmc = BlockSms.unset(gpu, m * cols, cleanup);
            q.launch(kernels.vectorAdd(da, db, sum, n));
            q.launch(kernels.sgemm(dma, dmb, dmc, m, cols, k));
            await(q);

            float[] c = new float[n];
            sum.download(c);
            for (int i = 0; i < n; i++) {
                if (c[i] != a[i] + b[i]) {
                    throw new AssertionError(side + ": c[" + i + "] = " + c[i] + ", expected " + (a[i] + b[i]));
                }
            }
            float[] mc = new float[m * cols];
            dmc.download(mc);
            assertThat(Gpus.relativeError(mc, product)).as("sgemm on %s", side).isLessThan(1e-5);
        }
    }

    @Test
    void closingAQueueOverAPartitionStreamLeavesTheStreamToThePartitioning() throws Exception {
        SmPartitioning p = partitions.open(RESERVED).orElseThrow();
        cleanup.add(p);
        DeviceBuffer word = BlockSms.unset(gpu, 1, cleanup);
        for (int round = 1; round <= 2; round++) {
            StreamQueue q = StreamQueue.over(gpu, p.reserved().streamHandle());
            try {
                q.launch(MemorySet.int32(word, 0, round, 1));
                await(q);
            } finally {
                q.close();
            }
            assertThat(q.stream()).isEqualTo(p.reserved().streamHandle());
            int[] value = new int[1];
            word.download(value);
            assertThat(value[0]).isEqualTo(round);
        }
        // Throws (CUDA_ERROR_INVALID_HANDLE or worse) if a queue had destroyed the stream.
        p.close();
        assertThat(p.closed()).isTrue();
    }

    private StreamQueue queueOver(SmPartition side) {
        StreamQueue q = StreamQueue.over(gpu, side.streamHandle());
        cleanup.add(q);
        return q;
    }


    private DeviceBuffer floats(float[] values) {
        DeviceBuffer buffer = gpu.allocate(4L * values.length);
        cleanup.add(buffer);
        buffer.upload(values);
        return buffer;
    }

    private static void await(HwQueue q) throws InterruptedException {
        SyncPoint done = q.record();
        try {
            assertThat(done.await()).isTrue();
        } finally {
            done.close();
        }
    }

}
