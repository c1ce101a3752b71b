package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * Kernels loaded preemptible ({@link CudaGpu#loadPreemptible}) compute what the original kernels
 * compute: the stock SGEMM (2-D grid of 16×16 tiles, shared memory, barriers) rewritten by the PTX
 * guardian, so every block reads its logical index from a ticket, run through XQueues at level 1
 * and level 2 (gates) on cuda:0 and checked against the CPU. Skipped where there is no GPU.
 */
@Tag("gpu")
class PreemptibleKernelsGpuTest {
    private EmbeddedXsched runtime;
    private CudaModule gemm;

    @BeforeEach
    void start() {
        Gpus.platform();
        gemm = Gpus.gpu().loadPreemptible(new String(StockKernels.resource("gemm.ptx"), StandardCharsets.UTF_8), Set.of());
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (gemm != null) {
            gemm.close();
        }
    }

    @Test
    void theGuardianGuardsTheStockGemm() {
        CudaKernel sgemm = gemm.kernel("sgemm");
        assertThat(sgemm.guarded()).as("guarded: %s", sgemm.unguardedReason()).isTrue();
        assertThat(sgemm.parameterSizes()).hasValueSatisfying(sizes -> assertThat(sizes).hasSize(6));
    }

    @Test
    void aPreemptibleGemmMatchesTheCpuAtLevel1() throws Exception {
        gemmsMatchTheCpu(false);
    }

    @Test
    void aPreemptibleGemmMatchesTheCpuAtLevel2() throws Exception {
        gemmsMatchTheCpu(true);
    }

    private void gemmsMatchTheCpu(boolean gates) throws Exception {
        runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst())
                .backend(CudaBackends.over(Gpus.platform(), gates)).build();
        CudaGpu gpu = Gpus.gpu();
        CudaKernel sgemm = gemm.kernel("sgemm");
        XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults().withName("preemptible gemm"));
        int[][] shapes = {{64, 64, 64}, {100, 70, 33}, {257, 129, 65}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = Gpus.random(m * k, m);
            float[] b = Gpus.random(k * n, n);
            float[] c = new float[m * n];
            try (DeviceBuffer da = gpu.allocate(4L * m * k); DeviceBuffer db = gpu.allocate(4L * k * n);
                 DeviceBuffer dc = gpu.allocate(4L * m * n)) {
                da.upload(a);
                db.upload(b);
                for (int rep = 0; rep < 3; rep++) {
                    q.submit(MemorySet.float32(dc, Float.NaN));
                    q.submit(sgemm.launch(Dim3.of((n + 15) / 16, (m + 15) / 16), Dim3.of(16, 16))
                            .arg(da).arg(db).arg(dc).arg(m).arg(n).arg(k).build());
                }
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
}
