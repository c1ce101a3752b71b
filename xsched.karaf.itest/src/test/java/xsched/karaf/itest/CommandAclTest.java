package xsched.karaf.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.Assume;
import org.junit.Test;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.ServiceReference;
import xsched.api.QueueOptions;
import xsched.api.XQueue;

/**
 * The distribution's command ACL, {@code etc/org.apache.karaf.command.acl.xsched.cfg}: a user with
 * only the viewer role reads the scheduler's state and changes nothing; a manager or an admin changes
 * it. Checked in console sessions run as subjects with those roles, and over ssh as a viewer of
 * {@code etc/users.properties}, whose roles come from Karaf's JAAS login. Also: ssh listens on the
 * loopback interface only, as the distribution's {@code etc/org.apache.karaf.shell.cfg} says.
 */
public class CommandAclTest extends InXschedKaraf {
    /** A read-only user the test adds for ssh: the viewer role, and ssh to log in. */
    private static final String SSH_VIEWER = "xviewer";
    private static final String SSH_VIEWER_PASSWORD_PROPERTY = "xsched.test.viewer.password";

    /** What a viewer may run: reading only. */
    private static final List<String> READING = List.of("xsched:devices", "xsched:backends", "xsched:queues", "xsched:top 1",
            "xsched:policy", "xsched:policy list", "xsched:rejected", "xsched:help", "xsched:clients");

    @Override
    @Configuration
    public Option[] configuration() {
        String password = "xviewer-" + Long.toHexString(System.nanoTime());
        return Stream.concat(Arrays.stream(super.configuration()), Stream.of(
                editConfigurationFilePut("etc/users.properties", SSH_VIEWER, XschedDistribution.hashed(password) + ",viewer,ssh"),
                systemProperty(SSH_VIEWER_PASSWORD_PROPERTY).value(password))).toArray(Option[]::new);
    }

    /**
     * @return a console session of a user with only the viewer role, once the ACL is in force:
     *         Karaf reads it from configuration admin, which fileinstall fills from etc/ while the
     *         shell starts. In force means it hides a changing command from viewers (never, without
     *         the file); {@code xsched:hint} alone only prints its usage.
     */
    private KarafConsole viewerUnderAcl() throws InterruptedException {
        KarafConsole viewer = new KarafConsole(sessions, "viewer", "viewer");
        Eventually.until("etc/org.apache.karaf.command.acl.xsched.cfg in force: a viewer is refused xsched:hint",
                () -> outcome(viewer, "xsched:hint") == Outcome.HIDDEN);
        return viewer;
    }

    /** What Karaf's command ACL did to a command. */
    private enum Outcome {
        /** it ran */
        RAN,
        /** no role of the user may run the command: Gogo says it does not exist */
        HIDDEN,
        /** the user may run the command, not with these arguments: "Insufficient credentials." */
        DENIED
    }

    private static Outcome outcome(KarafConsole console, String command) {
        try {
            console.run(command);
            return Outcome.RAN;
        } catch (SecurityException e) {
            System.out.printf("refused: %s: %s%n", command, e);
            return Outcome.DENIED;
        } catch (Exception e) {
            // Gogo's runtime is private to Karaf's shell bundle: the probe cannot see its classes
            if (e.getClass().getName().equals("org.apache.felix.gogo.runtime.CommandNotFoundException")) {
                System.out.printf("refused: %s: %s%n", command, e);
                return Outcome.HIDDEN;
            }
            throw new IllegalStateException(command + " failed", e);
        }
    }

    @Test
    public void aViewerReadsTheSchedulerButChangesNothing() throws Exception {
        KarafConsole viewer = viewerUnderAcl();
        Set<String> registered = new KarafConsole(sessions).commands();
        for (String command : READING) {
            // xsched:help and xsched:clients are newer than this test: run them where the shell has them
            if (registered.contains(command.split(" ")[0])) {
                assertEquals("a viewer may run " + command, Outcome.RAN, outcome(viewer, command));
            }
        }
        try (XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("acl-q"))) {
            int priority = priority(q);
            String queues = viewer.run("xsched:queues");
            assertTrue(queues, queues.contains("acl-q"));
            assertTrue(viewer.run("xsched:devices").contains("host:0"));
            assertTrue(viewer.run("xsched:backends").contains("xsched.backend.host"));
            assertTrue(viewer.run("xsched:top 1").contains("acl-q"));
            assertTrue(viewer.run("xsched:policy").contains("active policy: hpf"));
            assertTrue(viewer.run("xsched:policy list").contains("* hpf"));

            // policy is visible to viewers, so its arguments decide; hint and config are hidden from them
            assertEquals(Outcome.DENIED, outcome(viewer, "xsched:policy set hpf"));
            assertEquals(Outcome.DENIED, outcome(viewer, "xsched:policy set"));
            assertEquals(Outcome.HIDDEN, outcome(viewer, "xsched:hint " + q.id() + " priority 10"));
            assertEquals(Outcome.HIDDEN, outcome(viewer, "xsched:hint global k 2"));
            assertEquals(Outcome.HIDDEN, outcome(viewer, "xsched:config " + q.id() + " batch 4"));
            assertEquals("the viewer's hint did not reach the queue", priority, priority(q));
        }
    }

    private int priority(XQueue q) {
        return xsched.snapshot().queues.stream().filter(dto -> dto.id == q.id()).findFirst().orElseThrow().priority;
    }

    @Test
    public void onlyManagersAndAdminsSwitchThePolicy() throws Exception {
        KarafConsole viewer = viewerUnderAcl();
        KarafConsole operator = new KarafConsole(sessions);
        KarafConsole manager = new KarafConsole(sessions, "manager", "manager");
        KarafConsole admin = new KarafConsole(sessions, "admin", "admin");
        operator.run("feature:install xsched-policy-up");
        try {
            Eventually.until("policy up offered", () -> xsched.snapshot().policies.contains("up"));
            assertEquals(Outcome.DENIED, outcome(viewer, "xsched:policy set up"));
            assertEquals("a viewer's policy set changed nothing", "hpf", xsched.activePolicy().orElse("none"));

            assertTrue(manager.run("xsched:policy set up").contains("active policy: up"));
            assertEquals("up", xsched.activePolicy().orElse("none"));
            assertEquals(Outcome.DENIED, outcome(viewer, "xsched:policy set hpf"));
            assertEquals("up", xsched.activePolicy().orElse("none"));
            assertTrue(admin.run("xsched:policy set hpf").contains("active policy: hpf"));
            assertEquals("hpf", xsched.activePolicy().orElse("none"));
        } finally {
            operator.run("feature:uninstall xsched-policy-up");
        }
        Eventually.until("policy up gone", () -> !xsched.snapshot().policies.contains("up"));
        assertEquals("hpf", xsched.activePolicy().orElse("none"));
    }

    @Test
    public void aViewerLoggedInOverSshReadsButIsRefusedChanges() throws Exception {
        viewerUnderAcl(); // only waits for the ACL: this viewer logs in over ssh
        Eventually.until("Karaf's ssh server registered", () -> context.getServiceReference("org.apache.sshd.server.SshServer") != null);
        String roles = overSshAsViewer("jaas:whoami -r");
        assertTrue("the viewer's roles over ssh:\n" + roles, roles.contains("viewer") && !roles.contains("admin")
                && !roles.contains("manager"));
        String queues = overSshAsViewer("xsched:queues");
        assertTrue("xsched:queues over ssh:\n" + queues, queues.contains("DONE/SUBMITTED"));
        String policy = overSshAsViewer("xsched:policy");
        assertTrue("xsched:policy over ssh:\n" + policy, policy.contains("active policy: hpf"));

        String set = overSshAsViewer("xsched:policy set hpf");
        assertTrue("xsched:policy set over ssh:\n" + set, set.contains("Insufficient credentials") && set.contains("(exit status"));
        assertFalse("xsched:policy set over ssh:\n" + set, set.contains("active policy"));
        String hint = overSshAsViewer("xsched:hint global k 2");
        assertTrue("xsched:hint over ssh:\n" + hint, hint.contains("Command not found") && hint.contains("(exit status"));
        assertFalse("xsched:hint over ssh:\n" + hint, hint.lines().anyMatch("ok"::equals));
    }

    private static String overSshAsViewer(String command) throws IOException {
        return SshCommand.run(Integer.getInteger(XschedDistribution.SSH_PORT_PROPERTY), SSH_VIEWER,
                System.getProperty(SSH_VIEWER_PASSWORD_PROPERTY), command);
    }

    @Test
    public void sshListensOnTheLoopbackInterfaceOnly() throws Exception {
        int port = Integer.getInteger(XschedDistribution.SSH_PORT_PROPERTY);
        Eventually.until("ssh answers on the loopback interface", () -> connects(InetAddress.getLoopbackAddress(), port));
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    others.add(address);
                }
            }
        }
        Assume.assumeFalse("this machine has no address but loopback", others.isEmpty());
        for (InetAddress address : others) {
            assertFalse("ssh answers on " + address + ":" + port, connects(address, port));
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
