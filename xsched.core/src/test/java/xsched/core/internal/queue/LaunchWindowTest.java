package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

class LaunchWindowTest {
    private final QueueFixture fixture = new QueueFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Counts, on the device side, commands launched and not yet completed. */
    private static final class WindowProbe implements Backend {
        final Backend inner;
        final AtomicInteger maxUnfinished = new AtomicInteger();
        final List<HostKernel> launched = new ArrayList<>();

        WindowProbe(Backend inner) {
            this.inner = inner;
        }

        @Override
        public String platform() {
            return inner.platform();
        }

        @Override
        public List<xsched.api.XpuDevice> devices() {
            return inner.devices();
        }

        @Override
        public HwQueue open(xsched.api.XpuDevice device) {
            HwQueue hw = inner.open(device);
            return new HwQueue() {
                @Override
                public void accept(HwCommand command) {
                    hw.accept(command);
                }

                @Override
                public void launch(HwCommand command) {
                    synchronized (launched) {
                        launched.add((HostKernel) command);
                        int unfinished = (int) launched.stream().filter(k -> !k.completed()).count();
                        maxUnfinished.accumulateAndGet(unfinished, Math::max);
                    }
                    hw.launch(command);
                }

                @Override
                public SyncPoint record() {
                    return hw.record();
                }

                @Override
                public void synchronize() throws InterruptedException {
                    hw.synchronize();
                }

                @Override
                public void close() {
                    hw.close();
                }
            };
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,1", "4,2", "8,8", "16,8"})
    void inFlightNeverExceedsThreshold(int threshold, int batch) throws Exception {
        WindowProbe probe = new WindowProbe(fixture.backend);
        AtomicIntegerArray runs = new AtomicIntegerArray(200);
        try (ProgressiveQueue q = new ProgressiveQueue(1, 1, probe.devices().getFirst(), probe,
                QueueOptions.defaults().withLaunch(new LaunchConfig(threshold, batch)), QueueFixture.NO_SCHEDULER, Runnable::run)) {
            for (int i = 0; i < 200; i++) {
                q.submit(QueueFixture.counting(runs, i, 1, 20_000, false));
            }
            q.awaitAll();
            assertThat(probe.maxUnfinished.get()).isLessThanOrEqualTo(threshold).isGreaterThan(0);
            assertThat(q.state()).isEqualTo(QueueState.IDLE);
        }
    }

    @Test
    void commandsRunInSubmissionOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.INTERRUPT, new LaunchConfig(4, 2))) {
            for (int i = 0; i < 500; i++) {
                int n = i;
                q.submit(HostTask.of("t" + n, () -> order.add(n)));
                if (i % 37 == 0) {
                    q.suspend();
                    q.resume();
                }
            }
            q.awaitAll();
        }
        assertThat(order).hasSize(500).isSorted();
    }

    @Test
    void invalidLaunchConfigsAreRejected() {
        assertThatThrownBy(() -> new LaunchConfig(4, 8)).hasMessageContaining("must not exceed threshold");
        assertThatThrownBy(() -> new LaunchConfig(0, 1)).hasMessageContaining("threshold must be > 0");
        assertThatThrownBy(() -> new LaunchConfig(4, -1)).hasMessageContaining("batch size must be > 0");
    }

    @Test
    void levelAboveTheDeviceIsRejected() {
        try (QueueFixture lv1 = new QueueFixture(PreemptLevel.LAUNCH)) {
            assertThatThrownBy(() -> lv1.queue(PreemptLevel.DEACTIVATE, LaunchConfig.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supports preempt levels up to 1");
            try (ProgressiveQueue q = lv1.queue(PreemptLevel.LAUNCH, LaunchConfig.DEFAULT)) {
                assertThatThrownBy(() -> q.level(PreemptLevel.INTERRUPT)).hasMessageContaining("level 3 is not available");
            }
        }
    }

    @Test
    void aForeignCommandIsRejectedAtSubmit() {
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, LaunchConfig.DEFAULT)) {
            assertThatThrownBy(() -> q.submit(new HwCommand() { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host queue runs");
            HostTask task = HostTask.of("once", () -> { });
            q.submit(task);
            assertThatThrownBy(() -> q.submit(task)).hasMessageContaining("already submitted");
        }
    }

    @Test
    void aFailingKernelFailsOnlyItself() throws Exception {
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, new LaunchConfig(4, 4))) {
            long ok1 = q.submit(HostTask.of("ok", () -> { }));
            long bad = q.submit(HostKernel.of("bad", 2, (b, ctx) -> {
                throw new ArithmeticException("boom in block " + b);
            }));
            long ok2 = q.submit(HostTask.of("ok", () -> { }));
            assertThat(q.await(ok2)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.await(ok1)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.await(bad)).isEqualTo(Outcome.FAILED);
            assertThat(q.failure(bad)).hasMessage("boom in block 0");
        }
    }

    @Test
    void awaitOfAnUnknownSequenceSaysSo() {
        try (ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, LaunchConfig.DEFAULT)) {
            assertThatThrownBy(() -> q.await(5)).hasMessageContaining("has no command 5");
        }
    }

    @Test
    void closedQueueRefusesWork() {
        ProgressiveQueue q = fixture.queue(PreemptLevel.LAUNCH, LaunchConfig.DEFAULT);
        q.close();
        assertThatThrownBy(() -> q.submit(HostTask.of("late", () -> { }))).hasMessageContaining("is closed");
    }
}
