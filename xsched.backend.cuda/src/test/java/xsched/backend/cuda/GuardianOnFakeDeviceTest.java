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
import xsched.backend.cuda.internal.GatedStreamQueue;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.SyncPoint;

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

    /**
     * A stop sets the stop flag even when no guarded kernel was running to be cut short (here a plain
     * kernel runs, and the batch behind it holds a plain kernel too, so nothing is due for relaunch):
     * reopening must clear the flag all the same, or every guarded kernel after it leaves without
     * running. Driven on the hardware queue itself, so the stop always lands while the plain held
     * kernel runs.
     */
    @Test
    @Timeout(120)
    void reopeningClearsTheStopFlagWhenNothingWasDueForRelaunch() throws Exception {
        CudaPlatform platform = FakeCudaDevice.platform();
        CudaGpu gpu = platform.gpu(0);
        long startedBefore = FakeCudaDevice.counter("fake_marks_running_or_run");
        try (CudaMarks guarded = new CudaMarks(gpu, 4, true);
             CudaMarks plain = new CudaMarks(gpu, 4, false);
             DeviceBuffer hold = gpu.allocate(4)) {
            hold.upload(new int[] {0});
            GatedStreamQueue hw = GatedStreamQueue.open(gpu, 0);
            launch(hw, guarded.mark(0)); // from here on the queue launches guarded kernels: stops set its flag
            launch(hw, plain.heldMark(0, hold));
            launch(hw, plain.mark(1));
            launch(hw, guarded.mark(2));
            SyncPoint last = hw.record();
            awaitAtLeast(() -> FakeCudaDevice.counter("fake_marks_running_or_run"), startedBefore + 2, "the plain held mark runs");

            Thread stopper = Thread.ofPlatform().name("stopper").start(hw::deactivate);
            awaitAtLeast(() -> hw.gateClosed() ? 1 : 0, 1, "the gate closes");
            hold.upload(new int[] {1}); // the plain kernel ends; the deactivation then finds the rest held
            stopper.join(CAP.toMillis());
            assertThat(stopper.isAlive()).as("deactivate() returned").isFalse();
            assertThat(hw.relaunches()).as("no guarded kernel was due for relaunch").isZero();
            assertThat(guarded.counts()).as("marked while deactivated").containsExactly(1, 0, 0, 0);

            hw.reactivate(java.util.List.of());
            assertThat(last.await()).isTrue();
            assertThat(plain.counts()).as("the plain marks, once each").containsExactly(1, 1, 0, 0);
            assertThat(guarded.counts()).as("the guarded mark behind the gate ran: the flag was cleared").containsExactly(1, 0, 1, 0);
            hw.close();
        }
    }

    private static void launch(GatedStreamQueue hw, HwCommand command) {
        hw.accept(command);
        hw.launch(command);
        hw.record();
    }

    private static void awaitAtLeast(LongSupplier value, long atLeast, String what) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (value.getAsLong() < atLeast) {
            assertThat(System.nanoTime() - deadline).as("waiting until %s", what).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }
}
