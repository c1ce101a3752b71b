package xsched.core.internal.runtime;

import xsched.core.testing.TestPriorityPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.api.dto.RuntimeDTO;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The runtime with a priority policy on the host XPU. Assertions are on decisions and states, never
 * on timing: where a test waits, it waits for a condition with a generous cap.
 */
class XschedRuntimeTest {
    private static final Duration CAP = Duration.ofSeconds(30);
    private XschedRuntime runtime;
    private HostBackend host;
    private final TestPriorityPolicy priority = new TestPriorityPolicy();

    @BeforeEach
    void start() {
        runtime = new XschedRuntime("prio", "prio");
        host = new HostBackend(1, PreemptLevel.INTERRUPT);
        runtime.addBackend(host);
        runtime.addPolicy("prio", priority);
    }

    @AfterEach
    void stop() {
        runtime.shutdown();
        host.close();
    }

    private static HostKernel spin(int blocks, long nanosPerBlock) {
        return HostKernel.idempotent("spin", blocks, (b, ctx) -> {
            long end = System.nanoTime() + nanosPerBlock;
            while (System.nanoTime() < end) {
                if (ctx.preempted()) {
                    return;
                }
            }
        });
    }

    /** Waits, polling, until the condition holds; fails after {@link #CAP}. */
    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + CAP.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("still waiting for: %s", what).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * A one-block kernel that keeps the device until {@code release} is set; an interruption stops
     * it (the block is redone on restore), so it holds its queue READY without holding the device.
     */
    private static HostKernel holdUntil(AtomicBoolean release, CountDownLatch started) {
        return HostKernel.idempotent("hold", 1, (b, ctx) -> {
            started.countDown();
            while (!release.get()) {
                if (ctx.preempted()) {
                    return;
                }
                LockSupport.parkNanos(100_000);
            }
        });
    }

    @Test
    void aPrioritySuspendsTheLowQueueWhileTheHighQueueHasWorkAndResumesItAfter() throws Exception {
        XQueue low = runtime.createQueue("host:0", QueueOptions.defaults().withName("bg"));
        XQueue high = runtime.createQueue("host:0", QueueOptions.defaults().withName("fg"));
        runtime.hint(new Hint.Priority(HintTarget.queue(high.id()), 10));
        runtime.hint(new Hint.Priority(HintTarget.queue(low.id()), 1));

        AtomicBoolean releaseLow = new AtomicBoolean();
        CountDownLatch lowStarted = new CountDownLatch(1);
        long lowSeq = low.submit(holdUntil(releaseLow, lowStarted));
        assertThat(lowStarted.await(CAP.toSeconds(), TimeUnit.SECONDS)).as("the low queue's kernel started").isTrue();
        runtime.engine().sync();
        assertThat(low.suspended()).as("alone, the low queue runs").isFalse();

        CountDownLatch highRunning = new CountDownLatch(1);
        CountDownLatch releaseHigh = new CountDownLatch(1);
        AtomicBoolean lowSuspendedWhileHighRan = new AtomicBoolean();
        long highSeq = high.submit(HostTask.of("fg", () -> {
            lowSuspendedWhileHighRan.set(low.suspended());
            highRunning.countDown();
            try {
                releaseHigh.await(CAP.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        eventually("the low queue is suspended", low::suspended);
        assertThat(highRunning.await(CAP.toSeconds(), TimeUnit.SECONDS))
                .as("the high queue's task ran although the low queue's kernel never ended").isTrue();
        assertThat(lowSuspendedWhileHighRan).as("the low queue was suspended while the high queue ran").isTrue();
        assertThat(low.suspended()).as("still suspended: the high queue is READY").isTrue();
        assertThat(high.suspended()).isFalse();

        releaseHigh.countDown();
        assertThat(high.await(highSeq, CAP)).isEqualTo(Outcome.COMPLETED);
        eventually("the low queue is resumed once the high queue is IDLE", () -> !low.suspended());
        releaseLow.set(true);
        assertThat(low.await(lowSeq, CAP)).as("the low queue's kernel finished after its interruption").isEqualTo(Outcome.COMPLETED);
        eventually("the low queue is IDLE", () -> low.state() == QueueState.IDLE);
        runtime.engine().sync();

        assertThat(priority.changes()).as("the policy's decisions, in order").containsExactly(
                TestPriorityPolicy.Change.suspend(low.id()), TestPriorityPolicy.Change.resume(low.id()));
        assertThat(low.suspended()).isFalse();
        assertThat(high.state()).isEqualTo(QueueState.IDLE);
    }

    @Test
    void withoutAPolicyEveryQueueRuns() throws Exception {
        XschedRuntime bare = new XschedRuntime("none", "none");
        bare.addBackend(host);
        try {
            XQueue q = bare.createQueue("host:0", QueueOptions.defaults());
            q.suspend();
            q.submit(HostTask.of("t", () -> { }));
            bare.engine().sync();
            assertThat(q.suspended()).isFalse();
            q.awaitAll();
            assertThat(bare.activePolicy()).isEmpty();
        } finally {
            bare.shutdown();
        }
    }

    @Test
    void aFailingPolicyLetsEveryQueueRunAndKeepsTheRuntimeAlive() throws Exception {
        runtime.addPolicy("broken", new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                throw new IllegalStateException("policy bug");
            }
        });
        runtime.activatePolicy("broken");
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        q.suspend();
        long seq = q.submit(HostTask.of("t", () -> { }));
        assertThat(q.await(seq, Duration.ofSeconds(10))).isEqualTo(Outcome.COMPLETED);
        assertThat(runtime.activePolicy()).contains("broken");
    }

    @Test
    void unknownNamesGetUsableMessages() {
        assertThatThrownBy(() -> runtime.activatePolicy("nope")).hasMessageContaining("no policy named 'nope'").hasMessageContaining("prio");
        assertThatThrownBy(() -> runtime.createQueue("cuda:7", QueueOptions.defaults())).hasMessageContaining("no device 'cuda:7'").hasMessageContaining("host:0");
        assertThatThrownBy(() -> runtime.hint(new Hint.Priority(HintTarget.queue(999), 1))).hasMessageContaining("no queue 999");
        assertThatThrownBy(() -> new Hint.Priority(HintTarget.queue(1), 300)).hasMessageContaining("-255…255");
        assertThatThrownBy(() -> new Hint.Timeslice(HintTarget.global(), Duration.ofNanos(10))).hasMessageContaining("timeslice must be in");
        assertThatThrownBy(() -> runtime.createQueue("host:0", QueueOptions.defaults().withLaunch(new LaunchConfig(2, 3))))
                .hasMessageContaining("must not exceed");
    }

    @Test
    void processHintsApplyToEveryQueueOfTheProcessAndQueueHintsWin() throws Exception {
        XQueue a = runtime.createQueue("host:0", QueueOptions.defaults());
        XQueue b = runtime.createQueue("host:0", QueueOptions.defaults());
        runtime.hint(new Hint.Priority(HintTarget.process(a.pid()), 7));
        runtime.hint(new Hint.Priority(HintTarget.queue(b.id()), -3));
        runtime.engine().sync();
        RuntimeDTO dto = runtime.snapshot();
        assertThat(dto.queues).extracting(q -> q.priority).containsExactly(7, -3);
        assertThat(dto.activePolicy).isEqualTo("prio");
        assertThat(dto.devices).extracting(d -> d.id).containsExactly("host:0");
        assertThat(dto.backends).extracting(x -> x.platform).containsExactly("host");
    }

    @Test
    void closingAQueueRemovesIt() throws Exception {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        q.submit(spin(2, 100_000));
        q.close();
        assertThat(runtime.queues()).isEmpty();
        assertThat(q.finished()).isEqualTo(1);
    }
}
