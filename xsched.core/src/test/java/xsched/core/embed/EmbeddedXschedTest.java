package xsched.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

class EmbeddedXschedTest {
    private static final Duration CAP = Duration.ofSeconds(30);
    private final HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);

    /** Suspends every queue, always. */
    private static final class SuspendEverything implements SchedulingPolicy {
        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            for (QueueStatus q : status.queues()) {
                context.suspend(q.id());
            }
        }
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void theFirstPolicyGivenIsActiveAndTheBackendsDevicesAreThere() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host)
                .policy("stop", new SuspendEverything()).policy("go", new ResumeEverything()).build()) {
            assertThat(xsched.activePolicy()).contains("stop");
            assertThat(xsched.devices()).extracting(XpuDevice::id).containsExactly("host:0");
            assertThat(xsched.snapshot().policies).containsExactlyInAnyOrder("stop", "go");
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("q"));
            q.submit(HostTask.of("t", () -> { }));
            xsched.awaitScheduled();
            assertThat(q.suspended()).as("the active policy's decision is applied once awaitScheduled returns").isTrue();

            xsched.activatePolicy("go");
            xsched.awaitScheduled();
            assertThat(q.suspended()).isFalse();
            q.awaitAll();
        }
    }

    @Test
    void activeAndFallbackPoliciesCanBeNamed() throws Exception {
        SchedulingPolicy stop = new SuspendEverything();
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("stop", stop)
                .policy("go", new ResumeEverything()).activePolicy("stop").fallbackPolicy("go").build()) {
            assertThat(xsched.activePolicy()).contains("stop");
            xsched.removePolicy("stop", stop);
            assertThat(xsched.activePolicy()).as("the fallback takes over").contains("go");
            xsched.addPolicy("stop", stop);
            assertThat(xsched.activePolicy()).as("the wanted policy is back").contains("stop");
        }
    }

    @Test
    void manualSchedulingLeavesQueuesAsTheApplicationSetsThem() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).manualScheduling().build()) {
            assertThat(xsched.activePolicy()).contains(EmbeddedXsched.MANUAL_POLICY);
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults());
            q.suspend();
            long seq = q.submit(HostTask.of("t", () -> { }));
            xsched.awaitScheduled();
            assertThat(q.suspended()).as("the READY edge changed nothing").isTrue();
            assertThat(q.outcome(seq)).as("a suspended queue launches nothing").isNull();
            q.resume();
            assertThat(q.await(seq, CAP)).isEqualTo(Outcome.COMPLETED);
            xsched.awaitScheduled();
            assertThat(q.suspended()).isFalse();
        }
    }

    @Test
    void suspendNowStopsLaunchingAtOnceAndLeavesTheHardwareStopToTheQueuesOwnThread() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).manualScheduling().build()) {
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withLevel(PreemptLevel.INTERRUPT));
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            long first = q.submit(HostTask.of("held", () -> {
                running.countDown();
                boolean interrupted = false;
                while (release.getCount() > 0) { // deaf to interrupts: a stop must wait for its end
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(running.await(CAP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as("the first task runs").isTrue();
            long second;
            try {
                // XQueue.suspend() would wait here for the held task; suspendNow returns while it runs
                var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> xsched.suspendNow(q.id()));
                assertThat(call.get(CAP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).as("a queue of this runtime").isTrue();
                assertThat(q.suspended()).isTrue();
                second = q.submit(HostTask.of("after", () -> { }));
                // not handed to the host XPU, where it would wait behind the held task, in flight
                assertThat(xsched.snapshot().queues).filteredOn(d -> d.id == q.id()).singleElement()
                        .satisfies(d -> assertThat(d.pending).as("commands the suspended queue holds back").isEqualTo(1));
            } finally {
                release.countDown(); // also when an assertion failed: closing the runtime waits for the task
            }
            q.resume();
            assertThat(q.await(first, CAP)).isNotNull();
            assertThat(q.await(second, CAP)).isEqualTo(Outcome.COMPLETED);
            assertThat(xsched.suspendNow(Long.MAX_VALUE)).as("no such queue").isFalse();
        }
    }

    @Test
    void withoutAPolicyEveryQueueRuns() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).build()) {
            assertThat(xsched.activePolicy()).isEmpty();
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults());
            q.suspend();
            long seq = q.submit(HostTask.of("t", () -> { }));
            xsched.awaitScheduled();
            assertThat(q.suspended()).as("with no policy the engine resumes every queue").isFalse();
            assertThat(q.await(seq, CAP)).isEqualTo(Outcome.COMPLETED);
            assertThat(xsched.longestPolicyGapNanos()).as("no policy ever went away").isZero();
        }
    }

    @Test
    void backendsComeAndGo() {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().build()) {
            assertThat(xsched.devices()).isEmpty();
            xsched.addBackend(host);
            assertThat(xsched.device("host:0")).isPresent();
            xsched.removeBackend(host);
            assertThat(xsched.devices()).isEmpty();
        }
    }

    @Test
    void closeClosesTheQueuesAndIsFinal() throws Exception {
        EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).manualScheduling().build();
        XQueue q = xsched.createQueue("host:0", QueueOptions.defaults());
        long seq = q.submit(HostTask.of("t", () -> { }));
        xsched.close();
        assertThat(xsched.queues()).isEmpty();
        assertThat(q.outcome(seq)).isNotNull();
        assertThatThrownBy(() -> q.submit(HostTask.of("late", () -> { }))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> xsched.createQueue("host:0", QueueOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(xsched::awaitScheduled).isInstanceOf(IllegalStateException.class);
        xsched.close();
    }

    @Test
    void builderMistakesGetUsableMessages() {
        EmbeddedXsched.Builder builder = EmbeddedXsched.builder().policy("go", new ResumeEverything());
        assertThatThrownBy(() -> builder.policy("go", new SuspendEverything()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'go' is already installed");
        assertThatThrownBy(() -> builder.policy(" ", new SuspendEverything()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not blank");
        assertThatThrownBy(() -> EmbeddedXsched.builder().policy("go", new ResumeEverything()).activePolicy("og").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'og'").hasMessageContaining("given: go");
        assertThatThrownBy(() -> EmbeddedXsched.builder().manualScheduling().policy(EmbeddedXsched.MANUAL_POLICY, new ResumeEverything()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedXsched.builder().policyDeadline(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }

    @Test
    void aPolicyDeadlineOfZeroMeansNoLimit() {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policyDeadline(Duration.ZERO).manualScheduling().build()) {
            assertThat(xsched.activePolicy()).contains(EmbeddedXsched.MANUAL_POLICY);
        }
    }
}
