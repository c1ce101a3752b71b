package xsched.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.XQueue;
import xsched.api.Xsched;

/**
 * Issue 6, live backend upgrade on the host XPU: while queues run, the host backend is
 * reconfigured from level 1 to level 2 (DS replaces the backend component), then its bundle is
 * stopped and started. Queues move to the new backend at a command boundary, wait READY while no
 * backend is there, lose and repeat nothing, and can be raised to the new level.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackendUpgradeTest {
    private static final String HOST_PID = "xsched.backend.host";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    Xsched xsched;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private void hostMaxLevel(Configuration config, int level) throws Exception {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("max.level", level);
        config.update(props);
        Eventually.until("host:0 at Lv" + level, RuntimeWiringTest.SCR_TIMEOUT,
                () -> xsched.device("host:0").map(d -> d.maxLevel().number() == level).orElse(false),
                () -> xsched.snapshot().devices);
    }

    private Bundle hostBundle() {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("xsched.backend.host")) {
                return b;
            }
        }
        throw new AssertionError("no host backend bundle");
    }

    @Test
    void queuesMoveToAnUpgradedBackendWithoutLosingWork() throws Exception {
        Configuration config = configAdmin.getConfiguration(HOST_PID, "?");
        try (Workload work = new Workload(xsched, "host:0")) {
            hostMaxLevel(config, 1);
            XQueue background = work.queue("upgrade-bg");
            XQueue foreground = work.queue("upgrade-fg");
            assertEquals(PreemptLevel.LAUNCH, background.level());
            work.background(background, 8, Workload.timedKernel(4, 100_000));
            work.foreground(foreground, Duration.ofMillis(10), Workload.timedKernel(2, 100_000));
            work.awaitProgress(background, 20, RuntimeWiringTest.SCR_TIMEOUT);
            work.awaitProgress(foreground, 5, RuntimeWiringTest.SCR_TIMEOUT);

            hostMaxLevel(config, 2);
            Eventually.until("queues attached to the new backend", RuntimeWiringTest.SCR_TIMEOUT,
                    () -> xsched.snapshot().queues.stream().allMatch(q -> q.blockedReason == null));
            background.level(PreemptLevel.DEACTIVATE);
            assertEquals(PreemptLevel.DEACTIVATE, background.level());
            work.awaitProgress(background, 20, RuntimeWiringTest.SCR_TIMEOUT);
            work.awaitProgress(foreground, 5, RuntimeWiringTest.SCR_TIMEOUT);

            Bundle host = hostBundle();
            host.stop();
            Eventually.until("queues waiting for a backend", RuntimeWiringTest.SCR_TIMEOUT,
                    () -> xsched.snapshot().queues.stream().allMatch(q -> q.blockedReason != null));
            long finished = background.finished();
            long probe = background.submit(Workload.timedKernel(1, 10_000).get());
            assertTrue(xsched.snapshot().queues.stream().allMatch(q -> q.blockedReason.contains("went away")));
            assertEquals(null, background.outcome(probe), "a command submitted while no backend is there waits");
            assertEquals(finished, background.finished(), "nothing runs while no backend is there");
            host.start();
            Eventually.until("queues attached again", RuntimeWiringTest.SCR_TIMEOUT,
                    () -> xsched.snapshot().queues.stream().allMatch(q -> q.blockedReason == null));
            assertEquals(Outcome.COMPLETED, background.await(probe, Duration.ofSeconds(20)), "the command submitted meanwhile");
            work.awaitProgress(background, 20, RuntimeWiringTest.SCR_TIMEOUT);
            work.awaitProgress(foreground, 5, RuntimeWiringTest.SCR_TIMEOUT);

            work.stop();
            Workload.Drained drained = work.drain(Duration.ofSeconds(20));
            System.out.printf("backend upgrade: %d commands, outcomes %s%n", drained.total(), drained.outcomes());
            // at least 3 × (20 + 5) commands ended while the test waited for progress
            assertTrue(drained.total() >= 75, "the workload ran: " + drained.total() + " commands");
            assertEquals(List.of(), drained.notCompleted(), "commands not COMPLETED");
            assertEquals(Map.of(Outcome.COMPLETED, drained.total()), drained.outcomes());
            assertNotNull(xsched.device("host:0").orElse(null));
        } finally {
            config.delete();
        }
    }
}
