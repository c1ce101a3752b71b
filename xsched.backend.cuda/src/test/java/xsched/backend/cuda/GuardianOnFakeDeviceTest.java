package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.LongSupplier;
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
 * A guarded kernel that a stop cuts short is relaunched, over its control block, before the work
 * the gate held back: on the fake CUDA device a {@code held_mark} runs until the test lets it go,
 * so the stop always lands while it runs (no timing involved). The queue's stop flag makes it leave
 * without marking; the marks launched behind it wait behind the gate; after resuming, the relaunch
 * marks once, then the held marks run, each once and in order.
 */
@Tag("fake-device")
class GuardianOnFakeDeviceTest {
    private static final Duration CAP = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void aGuardedKernelCutShortByAStopIsRelaunchedBeforeTheWorkBehindIt() throws Exception {
        CudaPlatform platform = FakeCudaDevice.platform();
        CudaGpu gpu = platform.gpu(0);
        long stopsBefore = FakeCudaDevice.counter("fake_guarded_stops");
        long startedBefore = FakeCudaDevice.counter("fake_marks_running_or_run");
        try (EmbeddedXsched x = EmbeddedXsched.builder().manualScheduling().backend(CudaBackends.over(platform, true)).build();
             CudaMarks marks = new CudaMarks(gpu, 4, true);
             DeviceBuffer hold = gpu.allocate(4)) {
            hold.upload(new int[] {0});
            XQueue q = x.createQueue("cuda:0", QueueOptions.defaults().withName("guarded").withLevel(PreemptLevel.DEACTIVATE));
            q.submit(marks.heldMark(0, hold));
            q.submit(marks.mark(1));
            q.submit(marks.mark(2));
            awaitAtLeast(() -> FakeCudaDevice.counter("fake_marks_running_or_run"), startedBefore + 1, "the held mark runs");

            q.suspend();
            awaitAtLeast(() -> FakeCudaDevice.counter("fake_guarded_stops"), stopsBefore + 1, "the stop flag stops the held mark");
            assertThat(marks.counts()).as("marked while suspended: the stopped kernel left, the rest is held").containsOnly(0);

            hold.upload(new int[] {1});
            q.resume();
            q.awaitAll();
            assertThat(marks.counts()).as("each mark once").containsExactly(1, 1, 1, 0);
            int[] order = marks.order();
            assertThat(order[0]).as("the relaunched kernel marks first").isLessThan(order[1]);
            assertThat(order[1]).isLessThan(order[2]);
            q.close();
        }
    }

    private static void awaitAtLeast(LongSupplier value, long atLeast, String what) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (value.getAsLong() < atLeast) {
            assertThat(System.nanoTime() - deadline).as("waiting until %s", what).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }
}
