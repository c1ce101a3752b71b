package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.core.internal.queue.Waits.waitFor;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;

/**
 * Level 2 on a hardware queue that holds launched commands ({@code HwQueue.Holding}, as the CUDA
 * stream gate): suspending keeps them launched and stopped, resuming lets them run, nothing is
 * relaunched, and every command runs exactly once — across suspend/resume storms and a backend
 * swap while suspended.
 */
class HoldingQueueTest {
    private static final QueueOptions LEVEL_2 = QueueOptions.defaults().withLevel(PreemptLevel.DEACTIVATE)
            .withLaunch(new LaunchConfig(8, 2));

    @Test
    void suspendedCommandsStayHeldAndRunOnceAfterResume() throws Exception {
        HoldingDevice device = new HoldingDevice("held:0");
        AtomicIntegerArray runs = new AtomicIntegerArray(6);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(device).build()) {
            XQueue q = xsched.createQueue("held:0", LEVEL_2);
            HoldingDevice.GatedQueue hw = device.queues.getFirst();
            hw.stall();
            long last = 0;
            for (int i = 0; i < 6; i++) {
                last = q.submit(new HoldingDevice.Mark(runs, i));
            }
            waitFor("six commands launched", () -> hw.held() == 6);
            q.suspend();
            hw.unstall();
            for (int i = 0; i < 6; i++) {
                assertThat(runs.get(i)).as("run of held command %d while suspended", i).isZero();
            }
            assertThat(q.outcome(last)).isNull();
            q.resume(false);
            assertThat(q.await(last)).isEqualTo(Outcome.COMPLETED);
            for (int i = 0; i < 6; i++) {
                assertThat(runs.get(i)).as("runs of command %d", i).isEqualTo(1);
            }
            q.close();
        } finally {
            device.close();
        }
    }

    @Test
    void everyCommandRunsOnceThroughSuspendResumeStorms() throws Exception {
        int commands = 3000;
        HoldingDevice device = new HoldingDevice("held:0");
        AtomicIntegerArray runs = new AtomicIntegerArray(commands);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(device).build()) {
            XQueue q = xsched.createQueue("held:0", LEVEL_2);
            Thread storm = Thread.ofPlatform().name("storm").start(() -> {
                SplittableRandom random = new SplittableRandom(42);
                for (int i = 0; i < 300 && !Thread.currentThread().isInterrupted(); i++) {
                    q.suspend();
                    Thread.onSpinWait();
                    q.resume(false);
                    if (random.nextInt(4) == 0) {
                        Thread.yield();
                    }
                }
            });
            long last = 0;
            for (int i = 0; i < commands; i++) {
                last = q.submit(new HoldingDevice.Mark(runs, i));
            }
            storm.join();
            q.resume(false);
            try {
                assertThat(q.await(last, Duration.ofSeconds(20))).isEqualTo(Outcome.COMPLETED);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e.getMessage() + "; " + xsched.snapshot().queues + "; " + device.queues, e);
            }
            for (int i = 0; i < commands; i++) {
                assertThat(runs.get(i)).as("runs of command %d", i).isEqualTo(1);
                assertThat(q.outcome(i + 1)).isEqualTo(Outcome.COMPLETED);
            }
            assertThat(device.deactivations.get()).as("deactivations of the hardware queue").isPositive();
            q.close();
        } finally {
            device.close();
        }
    }

    @Test
    void aSwapToABackendOfferingMoreRaisesQueuesThatAskedForNoLevel() throws Exception {
        HoldingDevice levelOne = new HoldingDevice("held:0", PreemptLevel.LAUNCH);
        HoldingDevice levelTwo = new HoldingDevice("held:0");
        AtomicIntegerArray runs = new AtomicIntegerArray(200);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(levelOne).build()) {
            XQueue highest = xsched.createQueue("held:0", QueueOptions.defaults().withLaunch(new LaunchConfig(8, 2)));
            XQueue pinned = xsched.createQueue("held:0", QueueOptions.defaults().withLevel(PreemptLevel.LAUNCH));
            assertThat(highest.level()).isEqualTo(PreemptLevel.LAUNCH);
            for (int i = 0; i < 100; i++) {
                highest.submit(new HoldingDevice.Mark(runs, i));
            }
            xsched.removeBackend(levelOne);
            xsched.addBackend(levelTwo);
            long last = 0;
            for (int i = 100; i < 200; i++) {
                last = highest.submit(new HoldingDevice.Mark(runs, i));
            }
            assertThat(highest.await(last, Duration.ofSeconds(20))).isEqualTo(Outcome.COMPLETED);
            assertThat(highest.level()).as("the queue that asked for the highest level").isEqualTo(PreemptLevel.DEACTIVATE);
            assertThat(pinned.level()).as("the queue that asked for level 1").isEqualTo(PreemptLevel.LAUNCH);
            highest.suspend();
            assertThat(levelTwo.deactivations.get()).as("deactivations on the new backend").isPositive();
            highest.resume(false);
            for (int i = 0; i < 200; i++) {
                assertThat(runs.get(i)).as("runs of command %d", i).isEqualTo(1);
            }
            highest.close();
            pinned.close();
        } finally {
            levelOne.close();
            levelTwo.close();
        }
    }

    @Test
    void aBackendSwapWhileSuspendedRunsHeldCommandsOnTheOldDeviceOnce() throws Exception {
        HoldingDevice first = new HoldingDevice("held:0");
        HoldingDevice next = new HoldingDevice("held:0");
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(first).build()) {
            XQueue q = xsched.createQueue("held:0", LEVEL_2);
            HoldingDevice.GatedQueue hw = first.queues.getFirst();
            hw.stall();
            long held = 0;
            for (int i = 0; i < 4; i++) {
                held = q.submit(new HoldingDevice.Mark(runs, i));
            }
            waitFor("four commands launched", () -> hw.held() == 4);
            q.suspend();
            hw.unstall();
            xsched.removeBackend(first);
            assertThat(q.await(held, Duration.ofSeconds(20))).isEqualTo(Outcome.COMPLETED);
            xsched.addBackend(next);
            long later = 0;
            for (int i = 4; i < 8; i++) {
                later = q.submit(new HoldingDevice.Mark(runs, i));
            }
            q.resume(false);
            try {
                assertThat(q.await(later, Duration.ofSeconds(20))).isEqualTo(Outcome.COMPLETED);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(e.getMessage() + "; " + xsched.snapshot().queues + "; " + first.queues + next.queues, e);
            }
            for (int i = 0; i < 8; i++) {
                assertThat(runs.get(i)).as("runs of command %d", i).isEqualTo(1);
            }
            assertThat(next.queues).as("queues opened on the next backend").hasSize(1);
            q.close();
        } finally {
            first.close();
            next.close();
        }
    }
}
