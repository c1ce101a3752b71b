package xsched.karaf.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import xsched.api.Xsched;
import xsched.spi.hal.Backend;

/**
 * What an operator does to a running scheduler, typed in the console while queues run on the
 * host XPU: install a policy feature, switch to it, uninstall it while it is active, and update
 * the backend bundle. Every command submitted meanwhile completes, each block exactly once.
 */
public class LiveChangesUnderLoadTest extends InXschedKaraf {
    /** Commands the load ends in each phase before the next change (the tests wait for progress, not for time). */
    private static final long PROGRESS = 30;

    private Object hostBackendServiceId() throws Exception {
        var refs = context.getServiceReferences(Backend.class, "(" + Backend.PLATFORM + "=host)");
        return refs.isEmpty() ? null : refs.iterator().next().getProperty("service.id");
    }

    /** After an update without refresh: the API package comes from the old, still wired revision. */
    private static boolean importsItsApiFromTheRunningRevision(Bundle backend) {
        BundleWiring wiring = backend.adapt(BundleWiring.class);
        return wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(w -> "xsched.backend.host".equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))
                .anyMatch(w -> !w.getProvider().equals(wiring.getRevision()));
    }

    private boolean allQueuesAttached() {
        return xsched.snapshot().queues.stream().allMatch(q -> q.blockedReason == null);
    }

    @Test
    public void policyFeaturesAndABackendUpdateLoseNoCommand() throws Exception {
        KarafConsole console = new KarafConsole(sessions);
        try (CountingLoad load = new CountingLoad(xsched)) {
            load.run("host:0", "live-bg", 8);
            load.run("host:0", "live-fg", 2);
            load.awaitProgress("the load runs under hpf", PROGRESS);

            console.run("feature:install xsched-policy-up");
            Eventually.until("policy up offered", () -> xsched.snapshot().policies.contains("up"));
            assertTrue(console.run("xsched:policy set up").contains("active policy: up"));
            assertEquals("up", xsched.activePolicy().orElse("none"));
            load.awaitProgress("the load runs under up", PROGRESS);

            console.run("feature:uninstall xsched-policy-up");
            Eventually.until("back on the fallback policy", () -> xsched.activePolicy().orElse("").equals("hpf"));
            load.awaitProgress("the load runs on the fallback policy", PROGRESS);

            Bundle host = bundle("xsched.backend.host");
            Object serviceBefore = hostBackendServiceId();
            long modifiedBefore = host.getLastModified();
            long submittedBefore = load.submitted();
            console.run("bundle:update xsched.backend.host");
            Eventually.until("the updated backend registered", () -> {
                try {
                    Object now = hostBackendServiceId();
                    return now != null && !now.equals(serviceBefore);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Eventually.until("queues attached to the updated backend", this::allQueuesAttached);
            assertNotEquals("the bundle was updated", modifiedBefore, host.getLastModified());
            assertTrue("the new revision takes the command API from the revision applications use",
                    importsItsApiFromTheRunningRevision(host));
            Eventually.until("submissions go on across the update", () -> load.submitted() > submittedBefore);
            load.awaitProgress("the load runs on the updated backend", PROGRESS);

            CountingLoad.Tally tally = load.stopAndTally(Duration.ofSeconds(30));
            System.out.println("live changes under load: " + tally);
            assertTrue("the load ran: " + tally, tally.submitted() >= 4 * PROGRESS);
            assertEquals("lost: " + tally, 0, tally.lost());
            assertEquals("duplicated: " + tally, 0, tally.duplicated());
            assertEquals(tally.submitted(), tally.completed());
        }
        assertTrue(console.run("feature:list -i").contains("xsched-policy-hpf"));
        ServiceReference<Xsched> runtime = context.getServiceReference(Xsched.class);
        assertTrue("the runtime service stayed", runtime != null);
    }
}
