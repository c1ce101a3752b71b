package xsched.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.dictionary.Dictionaries;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.spi.policy.SchedulingPolicy;

/** A policy from outside the project, registered at run time, is selectable at once and its loss is survived. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThirdPartyPolicyTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    Xsched xsched;

    @Test
    void aPolicyRegisteredAtRunTimeIsSelectableAndItsLossFallsBackToHpf() throws Exception {
        Eventually.until("host:0 and hpf active", RuntimeWiringTest.SCR_TIMEOUT,
                () -> xsched.device("host:0").isPresent() && xsched.activePolicy().equals(Optional.of("hpf")), xsched::snapshot);
        RoundRobinTestPolicy policy = new RoundRobinTestPolicy(3_000_000);
        try (Workload work = new Workload(xsched, "host:0")) {
            XQueue a = work.queue("rr-a");
            XQueue b = work.queue("rr-b");
            work.background(a, 4, Workload.timedKernel(2, 250_000));
            work.background(b, 4, Workload.timedKernel(2, 250_000));

            ServiceRegistration<SchedulingPolicy> reg = context.registerService(SchedulingPolicy.class, policy,
                    Dictionaries.dictionaryOf(SchedulingPolicy.NAME, RoundRobinTestPolicy.NAME));
            try {
                assertTrue(xsched.snapshot().policies.contains(RoundRobinTestPolicy.NAME), "installed once registered");
                xsched.activatePolicy(RoundRobinTestPolicy.NAME);
                assertEquals(Optional.of(RoundRobinTestPolicy.NAME), xsched.activePolicy());
                Eventually.until("the policy takes turns", WAIT, () -> policy.turns() >= 10, () -> policy.turns() + " turns");
                long aBefore = a.finished();
                long bBefore = b.finished();
                Eventually.until("both queues progress under round robin", WAIT,
                        () -> a.finished() > aBefore + 5 && b.finished() > bBefore + 5, work::describe);
                Eventually.until("round robin holds one of two busy queues", WAIT,
                        () -> a.suspended() != b.suspended(), work::describe);
            } finally {
                reg.unregister();
            }
            Eventually.until("the configured fallback hpf takes over", WAIT,
                    () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy);
            assertTrue(!xsched.snapshot().policies.contains(RoundRobinTestPolicy.NAME), "withdrawn once unregistered");
            Eventually.until("no queue stays suspended under hpf (equal priorities)", WAIT,
                    () -> work.queues().stream().noneMatch(XQueue::suspended), work::describe);
            long calls = policy.calls();
            // the engine hands every event it handles to the active policy: once it has handled this
            // hint (the snapshot shows it), a policy still in use would have been called again
            xsched.hint(new Hint.Priority(HintTarget.queue(a.id()), 3));
            Eventually.until("the hint was handled", WAIT,
                    () -> xsched.snapshot().queues.stream().anyMatch(q -> q.id == a.id() && q.priority == 3), xsched::snapshot);
            work.awaitProgress("the queues run on under hpf", 2, WAIT);
            assertEquals(calls, policy.calls(), "the withdrawn policy is no longer called");

            work.stop();
            Workload.Drained drained = work.drain(Duration.ofSeconds(10));
            assertEquals(List.of(), drained.notCompleted());
            assertEquals(Map.of(Outcome.COMPLETED, drained.total()), drained.outcomes());
            Eventually.until("no queue suspended once idle", WAIT, () -> work.queues().stream().noneMatch(XQueue::suspended), work::describe);
            System.out.printf("third-party policy: %d schedule calls, %d turns, %d commands completed%n",
                    policy.calls(), policy.turns(), drained.total());
        }
    }
}
