package xsched.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.Outcome;
import xsched.api.XQueue;
import xsched.api.Xsched;

/**
 * Issue 4: policies are switched, stopped, started, uninstalled and reinstalled while queues run.
 * The runtime service stays the same instance, no command is lost, no queue stays suspended.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PolicyHotSwapTest {
    static final List<String> POLICIES = List.of("hpf", "hhpf", "up", "edf", "cfs", "mlfq", "lax", "awf", "pup", "kedf", "ahpf");
    private static final String RUNTIME_PID = "xsched.runtime";
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(5);
    /** PolicyRegistry's line when a policy ends a time without one. */
    private static final Pattern GAP = Pattern.compile("policy '[^']+' active; the scheduler was without a policy for (\\d+) ");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ServiceAware<Xsched> service;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private Xsched xsched;
    private final List<String> log = new ArrayList<>();

    @Test
    void policiesSwapWhileQueuesRun() throws Exception {
        xsched = service.getService();
        ServiceReference<Xsched> ref = service.getServiceReference();
        long serviceId = (Long) ref.getProperty("service.id");
        Eventually.until("host:0 and every policy bound, hpf active", RuntimeWiringTest.SCR_TIMEOUT,
                () -> xsched.device("host:0").isPresent() && xsched.snapshot().policies.containsAll(POLICIES)
                        && xsched.activePolicy().equals(Optional.of("hpf")),
                () -> xsched.snapshot());

        AtomicInteger runtimeServiceEvents = new AtomicInteger();
        ServiceListener watch = e -> {
            if (e.getType() == ServiceEvent.REGISTERED || e.getType() == ServiceEvent.UNREGISTERING) {
                runtimeServiceEvents.incrementAndGet();
            }
        };
        context.addServiceListener(watch, "(objectClass=" + Xsched.class.getName() + ")");
        // reinstalled bundles must outlive the test, so not through the injected (closeable) context
        PolicyBundles bundles = new PolicyBundles(FrameworkUtil.getBundle(getClass()).getBundleContext());
        Configuration config = configAdmin.getConfiguration(RUNTIME_PID, "?");
        long switches = 0;
        long gapBefore = longestPolicyGapNanos();
        long noPolicyWindow;
        try (LogCapture runtimeLog = new LogCapture(); Workload work = new Workload(xsched, "host:0")) {
            XQueue fg = work.queue("fg");
            XQueue bg1 = work.queue("bg1");
            XQueue bg2 = work.queue("bg2");
            xsched.hint(new Hint.Priority(HintTarget.queue(fg.id()), 10));
            work.background(bg1, 6, Workload.timedKernel(4, 250_000));
            work.background(bg2, 6, Workload.timedKernel(2, 500_000));
            work.foreground(fg, Duration.ofMillis(10), Workload.timedKernel(2, 100_000));
            work.awaitProgress("the workload runs", 10, SWITCH_TIMEOUT);
            long progressed = 10;

            // 1. the API, three rounds over every installed policy
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < POLICIES.size(); i++) {
                    String p = POLICIES.get((i * 3 + round) % POLICIES.size());
                    xsched.activatePolicy(p);
                    assertEquals(Optional.of(p), xsched.activePolicy(), "activatePolicy(" + p + ")");
                    switches++;
                    work.awaitProgress("work goes on under " + p, 1, SWITCH_TIMEOUT);
                    progressed++;
                }
            }
            // 2. ConfigAdmin
            for (String p : List.of("cfs", "edf", "mlfq", "up", "hpf")) {
                config.update(props("policy", p, "fallback.policy", "hpf"));
                note("config policy=" + p, Eventually.until("config policy=" + p + " active", SWITCH_TIMEOUT,
                        () -> xsched.activePolicy().equals(Optional.of(p)), xsched::activePolicy));
                switches++;
                work.awaitProgress("work goes on under " + p, 1, SWITCH_TIMEOUT);
                progressed++;
            }
            // 3. stop and start a policy that is not active
            xsched.activatePolicy("edf");
            bundles.get("lax").stop();
            Eventually.until("lax withdrawn", SWITCH_TIMEOUT, () -> !xsched.snapshot().policies.contains("lax"));
            assertEquals(Optional.of("edf"), xsched.activePolicy(), "stopping another policy's bundle leaves the active one");
            bundles.get("lax").start();
            Eventually.until("lax back", SWITCH_TIMEOUT, () -> xsched.snapshot().policies.contains("lax"));
            assertEquals(Optional.of("edf"), xsched.activePolicy());
            // 4. stop and start the active policy: the fallback takes over, then the wanted one returns
            xsched.activatePolicy("cfs");
            bundles.get("cfs").stop();
            note("stop cfs -> hpf", Eventually.until("fallback hpf after stopping cfs", SWITCH_TIMEOUT,
                    () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy));
            long t = System.nanoTime();
            bundles.get("cfs").start();
            Eventually.until("cfs back", SWITCH_TIMEOUT, () -> xsched.activePolicy().equals(Optional.of("cfs")), xsched::activePolicy);
            note("start cfs -> cfs (Bundle.start included)", System.nanoTime() - t);
            switches += 2;
            // 5. stop the active policy when it is also the fallback: no policy, every queue runs
            xsched.activatePolicy("hpf");
            work.awaitProgress("work goes on under hpf", 1, SWITCH_TIMEOUT);
            progressed++;
            long stoppedAt = System.nanoTime();
            bundles.get("hpf").stop();
            note("stop hpf -> no policy", Eventually.until("no policy after stopping hpf", SWITCH_TIMEOUT,
                    () -> xsched.activePolicy().isEmpty(), xsched::activePolicy));
            Eventually.until("every queue runs without a policy", SWITCH_TIMEOUT,
                    () -> work.queues().stream().noneMatch(XQueue::suspended), work::describe);
            work.awaitProgress("work goes on without a policy", 1, SWITCH_TIMEOUT);
            progressed++;
            long startedAt = System.nanoTime();
            bundles.get("hpf").start();
            Eventually.until("hpf back", SWITCH_TIMEOUT, () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy);
            note("start hpf -> hpf (Bundle.start included)", System.nanoTime() - startedAt);
            noPolicyWindow = System.nanoTime() - stoppedAt;
            note("stop hpf .. hpf back, seen from the test", noPolicyWindow);
            switches += 2;
            // 6. uninstall the active policy and install it again from its location
            xsched.activatePolicy("mlfq");
            long mlfqId = bundles.get("mlfq").getBundleId();
            String location = bundles.uninstall("mlfq");
            note("uninstall mlfq -> hpf", Eventually.until("fallback hpf after uninstalling mlfq", SWITCH_TIMEOUT,
                    () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy));
            t = System.nanoTime();
            assertNotEquals(mlfqId, bundles.reinstall("mlfq").getBundleId());
            Eventually.until("mlfq back after reinstalling it from " + location, SWITCH_TIMEOUT,
                    () -> xsched.activePolicy().equals(Optional.of("mlfq")), xsched::activePolicy);
            note("reinstall mlfq -> mlfq (install+start included)", System.nanoTime() - t);
            switches += 2;
            // 7. deleting the configuration returns to the defaults (policy hpf)
            config.delete();
            config = null;
            Eventually.until("hpf after the configuration is deleted", SWITCH_TIMEOUT,
                    () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy);
            switches++;

            work.stop();
            Workload.Drained drained = work.drain(Duration.ofSeconds(20));
            Eventually.until("no queue suspended once idle", SWITCH_TIMEOUT,
                    () -> work.queues().stream().noneMatch(XQueue::suspended), work::describe);
            List<Long> gaps = loggedGapsMicros(runtimeLog.lines());
            long gapAfter = longestPolicyGapNanos();
            System.out.printf("policy hot swap: %d switches, %d commands %s, foreground worst %.1f ms (%d waits over 2 s)%n"
                    + "  times without a policy during the swaps (runtime log): %s us%n"
                    + "  XschedRuntime.longestPolicyGapNanos(): %.3f ms before the swaps, %.3f ms after%n  %s%n",
                    switches, drained.total(), drained.outcomes(), work.foregroundWorstNanos() / 1e6, work.foregroundTimeouts(),
                    gaps, gapBefore / 1e6, gapAfter / 1e6, String.join("\n  ", log));

            assertTrue(drained.total() >= progressed, "the workload ran: " + drained.total() + " commands, "
                    + progressed + " of them awaited between the swaps");
            assertEquals(List.of(), drained.notCompleted(), "commands not COMPLETED");
            assertEquals(Map.of(Outcome.COMPLETED, drained.total()), drained.outcomes());
            for (XQueue q : work.queues()) {
                assertEquals(q.submitted(), q.finished(), q.name() + ": every submitted command finished");
            }
            // only stopping hpf while it was both wanted and the fallback may leave the scheduler without a policy
            assertEquals(1, gaps.size(), "times without a policy: " + gaps);
            assertTrue(gaps.getFirst() * 1_000 <= noPolicyWindow, "the gap lies within the stop..start window of hpf");
            assertTrue(gapAfter >= Math.max(gapBefore, gaps.getFirst() * 1_000), "longestPolicyGapNanos covers the gap");
        } finally {
            context.removeServiceListener(watch);
            bundles.restore();
            if (config != null) {
                config.delete();
            }
        }
        assertEquals(0, runtimeServiceEvents.get(), "the Xsched service was unregistered or registered again");
        assertSame(xsched, service.getService(), "the Xsched service object is the same instance");
        assertEquals(serviceId, (Long) service.getServiceReference().getProperty("service.id"), "service.id");
        assertEquals(List.of(), xsched.snapshot().rejected.stream().map(r -> r.name + ": " + r.reason).toList(), "rejected plugins");
    }

    private void note(String what, long nanos) {
        log.add(String.format("%-48s %8.3f ms", what, nanos / 1e6));
    }

    private static Dictionary<String, Object> props(String... kv) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put(kv[i], kv[i + 1]);
        }
        return d;
    }

    private static List<Long> loggedGapsMicros(List<String> lines) {
        return lines.stream().map(GAP::matcher).filter(Matcher::find).map(m -> Long.parseLong(m.group(1))).toList();
    }

    /**
     * The runtime component's own measure. It is on the implementation class, which the core does
     * not export, hence reflection. It counts only gaps after a policy was first active; the
     * individual gaps are read from the log.
     */
    private long longestPolicyGapNanos() throws ReflectiveOperationException {
        return (Long) xsched.getClass().getMethod("longestPolicyGapNanos").invoke(xsched);
    }
}
