package xsched.karaf.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.example.backend.ExampleBackend;

/**
 * The distribution boots on Java 25 with xsched running, and an operator can drive it: the
 * {@code feature:*} and {@code xsched:*} commands in a console session and over ssh, and a vendor's
 * backend bundle installed from the console.
 */
public class KarafConsoleTest extends InXschedKaraf {
    @Test
    public void bootsOnJava25WithTheCompatibilityBundleFirst() {
        assertEquals("25", System.getProperty("java.specification.version"));
        Bundle compat = bundle("xsched.karaf.compat");
        assertEquals(Bundle.ACTIVE, compat.getState());
        assertEquals(1, compat.adapt(BundleStartLevel.class).getStartLevel());
        for (String name : List.of("xsched.api", "xsched.core", "xsched.shell", "xsched.backend.host", "xsched.policy.hpf")) {
            assertEquals(name + " is active", Bundle.ACTIVE, bundle(name).getState());
        }
        assertTrue("host:0 is there: " + xsched.devices(), xsched.device("host:0").isPresent());
        assertEquals("hpf", xsched.activePolicy().orElse("none"));
    }

    @Test
    public void featureAndXschedCommandsWorkInAConsoleSession() throws Exception {
        KarafConsole console = new KarafConsole(sessions);
        String features = console.run("feature:list -i");
        for (String f : List.of("xsched-core", "xsched-backend-host", "xsched-policy-hpf", "xsched-java-compat", "ssh")) {
            assertTrue(f + " is listed as installed:\n" + features,
                    Pattern.compile("(?m)^" + Pattern.quote(f) + "\\s").matcher(features).find());
        }
        assertTrue(console.run("feature:list").contains("xsched-policy-cfs"));
        String backends = console.run("xsched:backends");
        assertTrue(backends, backends.contains("xsched.backend.host"));
        try (XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("console-q"))) {
            String queues = console.run("xsched:queues");
            assertTrue(queues, queues.contains("console-q"));
        }
        assertTrue(console.run("xsched:policy").contains("hpf"));
    }

    @Test
    public void sshLogsInWithRolesAndRunsCommands() throws Exception {
        Eventually.until("Karaf's ssh server registered", () -> context.getServiceReference("org.apache.sshd.server.SshServer") != null);
        String backends = overSsh("xsched:backends");
        assertTrue("over ssh:\n" + backends, backends.contains("xsched.backend.host"));
        String whoami = overSsh("jaas:whoami -r");
        assertTrue("roles over ssh:\n" + whoami, whoami.contains("admin"));
    }

    private static String overSsh(String command) throws IOException {
        return SshCommand.run(Integer.getInteger(XschedDistribution.SSH_PORT_PROPERTY), XschedDistribution.SSH_USER,
                System.getProperty("xsched.test.ssh.password"), command);
    }

    @Test
    public void aVendorBackendBundleInstalledFromTheConsoleRunsQueues() throws Exception {
        KarafConsole console = new KarafConsole(sessions);
        String location = System.getProperty(XschedDistribution.EXAMPLE_BACKEND_PROPERTY);
        console.run("bundle:install -s " + location);
        Bundle example = bundle("xsched.example.backend");
        try {
            Eventually.until("example:0 listed", () -> xsched.device("example:0").isPresent());
            assertTrue(console.run("xsched:devices").contains("example:0"));
            AtomicInteger ran = new AtomicInteger();
            try (XQueue q = xsched.createQueue("example:0", QueueOptions.defaults().withName("vendor-q"))) {
                for (int i = 0; i < 100; i++) {
                    q.submit(new ExampleBackend.Command(ran::incrementAndGet));
                }
                q.awaitAll();
            }
            assertEquals(100, ran.get());
        } finally {
            console.run("bundle:uninstall " + example.getBundleId());
        }
        Eventually.until("example:0 gone", () -> xsched.device("example:0").isEmpty());
    }
}
