package xsched.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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
import xsched.policy.hpf.HighestPriorityFirst;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

class XschedRuntimeTest {
    private XschedRuntime runtime;
    private HostBackend host;

    @BeforeEach
    void start() {
        runtime = new XschedRuntime("hpf", "hpf");
        host = new HostBackend(1, PreemptLevel.INTERRUPT);
        runtime.addBackend(host);
        runtime.addPolicy("hpf", new HighestPriorityFirst());
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

    @Test
    void hpfSuspendsTheLowQueueWhileTheHighQueueHasWork() throws Exception {
        XQueue low = runtime.createQueue("host:0", QueueOptions.defaults().withName("bg"));
        XQueue high = runtime.createQueue("host:0", QueueOptions.defaults().withName("fg"));
        runtime.hint(new Hint.Priority(HintTarget.queue(high.id()), 10));
        runtime.hint(new Hint.Priority(HintTarget.queue(low.id()), 1));
        for (int i = 0; i < 50; i++) {
            low.submit(spin(10, 200_000));
        }
        runtime.engine().sync();
        AtomicBoolean lowWasSuspended = new AtomicBoolean();
        long seq = high.submit(HostTask.of("probe", () -> lowWasSuspended.set(low.suspended())));
        assertThat(high.await(seq, Duration.ofSeconds(10))).isEqualTo(Outcome.COMPLETED);
        assertThat(lowWasSuspended).as("low queue suspended while the high queue ran").isTrue();
        low.awaitAll();
        runtime.engine().sync();
        assertThat(low.suspended()).isFalse();
        assertThat(low.state()).isEqualTo(QueueState.IDLE);
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
        assertThatThrownBy(() -> runtime.activatePolicy("nope")).hasMessageContaining("no policy named 'nope'").hasMessageContaining("hpf");
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
        assertThat(dto.activePolicy).isEqualTo("hpf");
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
