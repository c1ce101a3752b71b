package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.StreamQueue;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/** The bindings and the hardware queue on a real GPU, without the core. */
@Tag("gpu")
class CudaDriverGpuTest {
    /** Per test, so that without a GPU each test is reported as skipped. */
    @BeforeEach
    void requireGpu() {
        Gpus.platform();
    }

    @Test
    void theGpuDescribesItself() {
        CudaPlatform platform = Gpus.platform();
        CudaGpu gpu = Gpus.gpu();

        assertThat(platform.driverVersion()).isGreaterThanOrEqualTo(12000);
        assertThat(gpu.id()).isEqualTo("cuda:0");
        assertThat(gpu.name()).isNotBlank();
        assertThat(Double.parseDouble(gpu.computeCapability())).isGreaterThanOrEqualTo(7.5);
        assertThat(gpu.multiprocessors()).isPositive();
        assertThat(gpu.totalMemory()).isGreaterThan(1L << 30);
        assertThat(platform.gpu("cuda:0")).containsSame(gpu);
        assertThat(platform.gpu("cuda:99")).isEmpty();
    }

    @Test
    void parameterSizesComeFromTheDriver() {
        try (StockKernels k = StockKernels.load(Gpus.gpu())) {
            CudaKernel sgemm = k.sgemm(buffer(64), buffer(64), buffer(64), 4, 4, 4).kernel();
            CudaKernel mark = k.mark(buffer(64), buffer(4), 1, 0).kernel();

            assertThat(sgemm.parameterSizes()).contains(List.of(8, 8, 8, 4, 4, 4));
            assertThat(mark.parameterSizes()).contains(List.of(8, 8, 4, 8));
            assertThatThrownBy(() -> sgemm.launch(Dim3.of(1), Dim3.of(1), 1, 2, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 6 parameters");
        }
    }

    @Test
    void aFatbinLoadsAndRuns() throws Exception {
        CudaGpu gpu = Gpus.gpu();
        try (CudaModule module = gpu.loadModule(StockKernels.resource("timing.fatbin"));
             DeviceBuffer log = gpu.allocate(16); DeviceBuffer cursor = gpu.allocate(4)) {
            HwQueue q = StreamQueue.open(gpu, 0);
            try {
                q.launch(MemorySet.int32(cursor, 0, 0, 1));
                q.launch(module.kernel("mark").launch(Dim3.of(1), Dim3.of(32), log, cursor, 77, 1000L));
                SyncPoint done = q.record();
                assertThat(done.await()).isTrue();
                done.close();
            } finally {
                q.close();
            }
            int[] out = new int[2];
            log.download(MemorySegment.ofArray(out).asSlice(0, 4));
            cursor.download(MemorySegment.ofArray(out).asSlice(4, 4));
            assertThat(out).containsExactly(77, 1);
        }
    }

    @Test
    void badPtxFailsWithTheJitLog() {
        CudaGpu gpu = Gpus.gpu();
        assertThatThrownBy(() -> gpu.loadPtx(".version 9.0\n.target sm_75\n.address_size 64\nthis is not ptx\n"))
                .isInstanceOf(CudaException.class)
                .hasMessageStartingWith("cuModuleLoadDataEx failed: CUDA_ERROR_")
                .hasMessageContaining("JIT log")
                .satisfies(e -> assertThat(((CudaException) e).errorName()).isIn("CUDA_ERROR_INVALID_PTX", "CUDA_ERROR_INVALID_IMAGE"));
    }

    @Test
    void anUnknownKernelNameIsNotFound() {
        try (CudaModule module = Gpus.gpu().loadModule(StockKernels.resource("timing.ptx"))) {
            assertThatThrownBy(() -> module.kernel("no_such_kernel"))
                    .isInstanceOf(CudaException.class)
                    .satisfies(e -> assertThat(((CudaException) e).errorName()).isEqualTo("CUDA_ERROR_NOT_FOUND"))
                    .hasMessageContaining("kernel 'no_such_kernel'");
        }
    }

    @Test
    void pinnedCopiesRoundTripThroughTheQueue() throws Exception {
        CudaGpu gpu = Gpus.gpu();
        int n = 1 << 16;
        try (PinnedBuffer in = gpu.allocatePinned(4L * n); PinnedBuffer out = gpu.allocatePinned(4L * n);
             DeviceBuffer a = gpu.allocate(4L * n); DeviceBuffer b = gpu.allocate(4L * n)) {
            for (int i = 0; i < n; i++) {
                in.segment().setAtIndex(ValueLayout.JAVA_INT, i, i * 3 + 1);
            }
            HwQueue q = StreamQueue.open(gpu, 0);
            try {
                q.launch(MemoryCopy.hostToDevice(in, a));
                q.launch(MemoryCopy.deviceToDevice(a, 0, b, 0, 4L * n));
                q.launch(MemorySet.int32(b, 0, -5, 16));
                q.launch(MemoryCopy.deviceToHost(b, out));
                q.synchronize();
            } finally {
                q.close();
            }
            for (int i = 0; i < n; i++) {
                assertThat(out.segment().getAtIndex(ValueLayout.JAVA_INT, i)).isEqualTo(i < 16 ? -5 : i * 3 + 1);
            }
        }
    }

    @Test
    void syncPointsReuseAFewPooledEvents() throws Exception {
        CudaGpu gpu = Gpus.gpu();
        try (StockKernels k = StockKernels.load(gpu)) {
            StreamQueue q = StreamQueue.open(gpu, 0);
            try {
                java.util.ArrayDeque<SyncPoint> window = new java.util.ArrayDeque<>();
                for (int i = 0; i < 500; i++) {
                    q.launch(k.spin(2_000, 1, 32));
                    window.add(q.record());
                    if (window.size() == 3) {
                        SyncPoint oldest = window.poll();
                        oldest.await();
                        oldest.close();
                    }
                }
                for (SyncPoint p : window) {
                    p.await();
                    p.close();
                }
                assertThat(q.eventsCreated()).isBetween(3, 4);
            } finally {
                q.close();
            }
        }
    }

    @Test
    void aClosedBufferCannotBeSubmittedAndAClosedPlatformObjectSaysSo() {
        CudaGpu gpu = Gpus.gpu();
        DeviceBuffer a = gpu.allocate(64);
        MemorySet set = MemorySet.int8(a, 0, (byte) 1, 64);
        a.close();
        a.close();

        assertThat(a.closed()).isTrue();
        assertThatThrownBy(() -> CudaCommand.admit(set, gpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was freed");
        assertThatThrownBy(() -> a.upload(new float[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> gpu.allocate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte");
    }

    private static DeviceBuffer buffer(long bytes) {
        return Gpus.gpu().allocate(bytes);
    }
}
