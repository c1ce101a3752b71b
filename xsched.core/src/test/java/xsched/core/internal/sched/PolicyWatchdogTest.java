package xsched.core.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.core.internal.sched.Policies.await;
import static xsched.core.internal.sched.Policies.only;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.core.engine.EngineClock;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/** A policy call that never returns is abandoned, the policy rejected, and scheduling goes on. */
class PolicyWatchdogTest {
    private static final Duration CAP = Duration.ofSeconds(20);

    private SchedulerEngine engine;
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final FlagQueue a = new FlagQueue(1);
    private final FlagQueue b = new FlagQueue(2);
    private final FlagQueue c = new FlagQueue(3);
    private final Policies.Stuck stuck = new Policies.Stuck();

    @BeforeEach
    void open() throws InterruptedException {
        engine = new SchedulerEngine(EngineClock.SYSTEM, Duration.ofMillis(1000));
        engine.onPolicyRejected((name, policy, reason) -> rejected.add(reason));
        for (FlagQueue q : List.of(a, b, c)) {
            q.ready = true;
            engine.opened(q);
        }
        engine.policy("stuck", stuck);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(List.of(a.suspended, b.suspended, c.suspended)).containsExactly(false, true, true);
    }

    @AfterEach
    void close() {
        stuck.release.countDown();
        engine.close();
    }

    private void getStuck() throws InterruptedException {
        stuck.blockNext = true;
        a.ready = false;
        engine.edge(a);
        assertThat(stuck.entered.await(CAP.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStuckPolicyIsRejectedAndEveryQueueRuns() throws InterruptedException {
        getStuck();
        await("every queue resumed", () -> !a.suspended && !b.suspended && !c.suspended);
        assertThat(rejected).containsExactly("policy 'stuck' did not decide within 1000 ms; rejected");
        assertThat(engine.policyName()).isNull();
        assertThat(engine.abandonedPolicyCalls()).isEqualTo(1);
        assertThat(engine.stuckPolicyThreads()).isEqualTo(1);
        assertThat(engine.sync(CAP)).as("the scheduler goes on").isTrue();
    }

    @Test
    void aPolicyCanBeSetWhileAnotherIsStuck() throws InterruptedException {
        getStuck();
        engine.policy("only-2", only(2));
        await("the new policy decided", () -> a.suspended && !b.suspended && c.suspended);
        assertThat(engine.policyName()).isEqualTo("only-2");
        assertThat(rejected).hasSize(1);
    }

    @Test
    void aLateReturnIsIgnoredAndARejectedPolicyIsNeverCalledAgain() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        SchedulingPolicy counting = (status, context) -> {
            calls.incrementAndGet();
            stuck.schedule(status, context);
        };
        engine.policy("counting", counting);
        assertThat(engine.sync(CAP)).isTrue();
        int before = calls.get();
        getStuck();
        await("rejected", () -> rejected.size() == 1);

        stuck.release.countDown();
        assertThat(stuck.returned.await(CAP.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await("the late call came back", () -> engine.stuckPolicyThreads() == 0);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(List.of(a.suspended, b.suspended, c.suspended)).as("its suspends were dropped").containsExactly(false, false, false);

        engine.policy("counting", counting);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(calls).as("called once more only for the call that got stuck").hasValue(before + 1);
        assertThat(rejected).hasSize(2).last().asString().contains("was rejected before");
        assertThat(List.of(a.suspended, b.suspended, c.suspended)).containsExactly(false, false, false);
    }

    @Test
    void aHangingHintIsAbandonedToo() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        engine.policy("hangs-on-hints", new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                only(3).schedule(status, context);
            }

            @Override
            public void hint(Hint hint) {
                Policies.block(entered, stuck.release);
            }
        });
        engine.hint(new Hint.Priority(HintTarget.queue(1), 7));
        assertThat(entered.await(CAP.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await("rejected", () -> rejected.size() == 1);
        assertThat(rejected.getFirst()).startsWith("policy 'hangs-on-hints' did not take the hint");
        await("every queue resumed", () -> !a.suspended && !b.suspended && !c.suspended);
        assertThat(engine.hintsOf(1).priority()).isEqualTo(7);
    }

    /** Decides that only one queue runs; its reset blocks while {@link #hang} is set. */
    private final class HangsOnReset implements SchedulingPolicy {
        final long runs;
        volatile boolean hang;

        HangsOnReset(long runs, boolean hang) {
            this.runs = runs;
            this.hang = hang;
        }

        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            only(runs).schedule(status, context);
        }

        @Override
        public void reset() {
            if (hang) {
                Policies.block(new CountDownLatch(1), stuck.release);
            }
        }
    }

    @Test
    void aResetThatHangsOnTheWayInIsAbandoned() throws InterruptedException {
        engine.policy("in", new HangsOnReset(3, true));
        await("rejected", () -> rejected.contains("policy 'in' did not reset within 1000 ms; rejected"));
        await("every queue resumed", () -> !a.suspended && !b.suspended && !c.suspended);
        assertThat(engine.policyName()).isNull();
    }

    @Test
    void aResetThatHangsOnTheWayOutIsAbandonedAndTheNextPolicyDecides() throws InterruptedException {
        HangsOnReset out = new HangsOnReset(3, false);
        engine.policy("out", out);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(List.of(a.suspended, b.suspended, c.suspended)).containsExactly(true, true, false);
        out.hang = true;
        engine.policy("only-2", only(2));
        await("rejected", () -> rejected.contains("policy 'out' did not reset within 1000 ms; rejected"));
        await("the next policy decided", () -> a.suspended && !b.suspended && c.suspended);
        assertThat(engine.policyName()).isEqualTo("only-2");
    }
}
