package xsched.core.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.core.internal.sched.Policies.SUSPEND_ALL;
import static xsched.core.internal.sched.Policies.only;

import java.time.Duration;
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

/** Whatever a policy or a queue throws, the scheduler thread lives on and no queue is left stopped. */
class SchedulerEngineContainmentTest {
    private static final Duration CAP = Duration.ofSeconds(20);

    private SchedulerEngine engine;
    private final FlagQueue a = new FlagQueue(1);
    private final FlagQueue b = new FlagQueue(2);

    @BeforeEach
    void open() throws InterruptedException {
        // a deadline no healthy call reaches even on a crowded machine: these tests are about throwing
        engine = new SchedulerEngine(EngineClock.SYSTEM, Duration.ofSeconds(60));
        a.ready = true;
        b.ready = true;
        engine.opened(a);
        engine.opened(b);
        engine.policy("suspend-all", SUSPEND_ALL);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(a.suspended).isTrue();
        assertThat(b.suspended).isTrue();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aPolicyThrowingAnErrorLetsEveryQueueRunAndTheSchedulerLivesOn() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        engine.policy("broken", (status, context) -> {
            calls.incrementAndGet();
            throw new NoClassDefFoundError("xsched/policy/Missing");
        });
        assertThat(engine.sync(CAP)).as("scheduler alive after the Error").isTrue();
        assertThat(a.suspended).isFalse();
        assertThat(b.suspended).isFalse();
        assertThat(engine.policyName()).isEqualTo("broken");

        engine.edge(a);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(calls).hasValue(2);

        long runs = engine.runs();
        engine.policy("one", only(1));
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(b.suspended).isTrue();
        assertThat(a.suspended).isFalse();
        assertThat(engine.runs()).isEqualTo(runs + 1);
    }

    @Test
    void hintAndResetFailuresAreContained() throws InterruptedException {
        AtomicInteger decisions = new AtomicInteger();
        SchedulingPolicy throwing = new SchedulingPolicy() {
            @Override
            public void schedule(SchedulerStatus status, PolicyContext context) {
                decisions.incrementAndGet();
                only(2).schedule(status, context);
            }

            @Override
            public void hint(Hint hint) {
                throw new StackOverflowError("hint");
            }

            @Override
            public void reset() {
                throw new AssertionError("reset");
            }
        };
        engine.policy("throwing", throwing);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(decisions).as("decides although its reset threw").hasValue(1);
        assertThat(a.suspended).isTrue();
        assertThat(b.suspended).isFalse();

        engine.hint(new Hint.Priority(HintTarget.queue(1), 5));
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(engine.hintsOf(1).priority()).isEqualTo(5);
        assertThat(decisions).as("decides although its hint threw").hasValue(2);

        engine.policy("one", only(1));
        assertThat(engine.sync(CAP)).as("switching away calls the throwing reset once more").isTrue();
        assertThat(a.suspended).isFalse();
        assertThat(b.suspended).isTrue();
    }

    @Test
    void queuesThatThrowCostOnlyTheirOwnOperation() throws InterruptedException {
        b.broken = true;
        engine.policy("none", null);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(a.suspended).isFalse();
        assertThat(b.operations).as("resume was tried").hasPositiveValue();

        b.broken = false;
        engine.edge(b);
        assertThat(engine.sync(CAP)).isTrue();
        assertThat(b.suspended).isFalse();
    }

    @Test
    void closingResumesEveryQueue() {
        engine.close();
        assertThat(a.suspended).isFalse();
        assertThat(b.suspended).isFalse();
    }
}
