package xsched.core.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xsched.core.internal.sched.Policies.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.dto.RejectedDTO;
import xsched.core.internal.runtime.XschedRuntime;
import xsched.spi.policy.SchedulingPolicy;

/** What the runtime makes of a policy the engine gave up on: a rejection with the reason, and the fallback. */
class PolicyRejectionTest {
    private static final String REASON = "policy 'stuck' did not decide within 1000 ms; rejected";
    private static final SchedulingPolicy RESUME_ALL = (status, context) -> status.queues().forEach(q -> context.resume(q.id()));

    private final Policies.Stuck stuck = new Policies.Stuck();
    private final XschedRuntime runtime = new XschedRuntime("stuck", "fallback", Duration.ofMillis(1000));

    @AfterEach
    void stop() {
        stuck.release.countDown();
        runtime.shutdown();
    }

    private void installStuck() throws InterruptedException {
        stuck.blockNext = true;
        runtime.addPolicy("fallback", RESUME_ALL);
        runtime.addPolicy("stuck", stuck);
        assertThat(stuck.entered.await(20, TimeUnit.SECONDS)).isTrue();
    }

    private boolean rejectedWithReason() {
        return runtime.snapshot().rejected.stream().anyMatch(r -> r.name.equals("stuck") && r.reason.equals(REASON));
    }

    @Test
    void theFallbackTakesOverAndTheReasonIsShown() throws InterruptedException {
        installStuck();
        await("rejection listed", this::rejectedWithReason);
        assertThat(runtime.snapshot().rejected).extracting(r -> r.type, r -> r.bundle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("policy", "embedded"));
        await("fallback active", () -> runtime.activePolicy().orElse("").equals("fallback"));
        assertThat(runtime.engine().sync(Duration.ofSeconds(20))).isTrue();
        assertThat(runtime.engine().policyName()).isEqualTo("fallback");
        assertThat(runtime.snapshot().policies).containsExactly("fallback");
        assertThatThrownBy(() -> runtime.activatePolicy("stuck")).hasMessageContaining(REASON);
    }

    @Test
    void aPolicyCanBeActivatedWhileAnotherIsStuckAndTheNameCanBeInstalledAgain() throws InterruptedException {
        installStuck();
        runtime.addPolicy("other", RESUME_ALL);
        runtime.activatePolicy("other");
        await("'other' runs in the engine", () -> "other".equals(runtime.engine().policyName()));
        await("rejection listed", this::rejectedWithReason);
        assertThat(runtime.activePolicy()).contains("other");

        runtime.addPolicy("stuck", RESUME_ALL);
        assertThat(runtime.snapshot().rejected).extracting((RejectedDTO r) -> r.name).doesNotContain("stuck");
        assertThat(runtime.snapshot().policies).contains("stuck");
        runtime.activatePolicy("stuck");
        assertThat(runtime.engine().sync(Duration.ofSeconds(20))).isTrue();
        assertThat(runtime.engine().policyName()).isEqualTo("stuck");
    }
}
