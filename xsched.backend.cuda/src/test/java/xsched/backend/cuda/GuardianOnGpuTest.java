package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;

/**
 * The guardian on cuda:0: many launches of a guarded kernel of many blocks, each block spinning
 * 50 µs then counting itself, under a suspend/resume storm, so stops land inside kernels and cut
 * them short between blocks (guarded) or inside blocks, at the spin loop's back-edge (interrupt
 * points: the block is recorded and redone from its start on resume); every logical block of every
 * launch must count exactly once. Skipped where there is no GPU.
 */
@Tag("gpu")
class GuardianOnGpuTest {
    private static final int LAUNCHES = 40;
    private static final long SPIN_NANOS = 50_000;

    @Test
    @Timeout(120)
    void everyBlockOfEveryGuardedLaunchRunsExactlyOnceUnderAStorm() throws Exception {
        storm(Set.of(), PreemptLevel.DEACTIVATE, "guardian");
    }

    @Test
    @Timeout(120)
    void everyBlockOfEveryInterruptibleLaunchRunsExactlyOnceUnderAStorm() throws Exception {
        storm(Set.of("count_blocks"), PreemptLevel.INTERRUPT, "interrupt points");
    }

    private void storm(Set<String> blockIdempotent, PreemptLevel level, String what) throws Exception {
        CudaPlatform platform = Gpus.platform();
        CudaGpu gpu = platform.gpu(0);
        int blocks = gpu.multiprocessors() * 32 * 10;
        try (CudaModule module = gpu.loadPreemptible(CudaMarks.ptx(), blockIdempotent);
             DeviceBuffer counts = gpu.allocate(4L * blocks * LAUNCHES);
             EmbeddedXsched x = EmbeddedXsched.builder().manualScheduling().backend(CudaBackends.over(platform, true)).build()) {
            CudaKernel countBlocks = module.kernel("count_blocks");
            assertThat(countBlocks.guarded()).as("guarded: %s", countBlocks.unguardedReason()).isTrue();
            assertThat(countBlocks.interruptible()).as("interruptible").isEqualTo(!blockIdempotent.isEmpty());
            counts.upload(new int[blocks * LAUNCHES]);
            XQueue q = x.createQueue("cuda:0", QueueOptions.defaults().withName("guarded blocks").withLevel(level));
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger storms = new AtomicInteger();
            Thread stormer = Thread.ofPlatform().name("guardian-storm").start(() -> {
                while (!done.get()) {
                    q.suspend();
                    sleepMicros(300);
                    q.resume();
                    storms.incrementAndGet();
                    sleepMicros(700);
                }
            });
            try {
                for (int l = 0; l < LAUNCHES; l++) {
                    KernelArgs args = KernelArgs.builder().arg(counts, 4L * blocks * l).arg(SPIN_NANOS).build();
                    q.submit(countBlocks.launch(Dim3.of(blocks), Dim3.of(32)).args(args).build());
                }
                while (q.finished() < LAUNCHES) {
                    Thread.sleep(1);
                }
            } finally {
                done.set(true);
                stormer.join();
            }
            q.resume();
            q.awaitAll();
            int[] all = new int[blocks * LAUNCHES];
            counts.download(all);
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < all.length && wrong.size() < 10; i++) {
                if (all[i] != 1) {
                    wrong.add("launch " + i / blocks + " block " + i % blocks + ": " + all[i]);
                }
            }
            assertThat(wrong).as("blocks not counted exactly once (%d storms)", storms.get()).isEmpty();
            System.out.println("[gpu] " + what + ": " + LAUNCHES + " launches x " + blocks + " blocks each once under " + storms.get()
                    + " suspend/resume rounds");
            q.close();
        }
    }

    private static void sleepMicros(long micros) {
        LockSupport.parkNanos(micros * 1000);
    }
}
