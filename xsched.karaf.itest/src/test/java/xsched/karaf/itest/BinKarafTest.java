package xsched.karaf.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution as an operator gets it: the tarball unpacks, {@code bin/karaf} starts on Java 25
 * with its own scripts (no Pax Exam in between), commands typed into its console answer, and a
 * user added as README.md says (its password hashed) logs in over ssh with its roles.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BinKarafTest {
    /** What xsched:policy prints once the shell is there; nothing typed contains it. */
    private static final String READY_ANSWER = "active policy: hpf";
    /** What xsched:devices prints last (the host device's row); nothing typed contains it. */
    private static final String LAST_ANSWER = "host:0";
    private static final Pattern PORT = Pattern.compile("(?m)^(\\s*(?:sshPort|rmiRegistryPort|rmiServerPort)\\s*=\\s*)\\d+");

    /** Moves the listening ports of a config file to free ones, so the test runs beside anything. */
    private static void freePorts(Path cfg) throws IOException {
        Matcher m = PORT.matcher(Files.readString(cfg));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + XschedDistribution.freePort()));
        }
        m.appendTail(out);
        Files.writeString(cfg, out);
    }

    private static int sshPort(Path home) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*sshPort\\s*=\\s*(\\d+)").matcher(Files.readString(home.resolve("etc/org.apache.karaf.shell.cfg")));
        assertTrue(m.find(), "sshPort in etc/org.apache.karaf.shell.cfg");
        return Integer.parseInt(m.group(1));
    }

    private static Path unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("xsched.karaf.distribution"));
        assertTrue(Files.isRegularFile(tarball), "no distribution at " + tarball);
        Path dir = Path.of(System.getProperty("xsched.karaf.exam.dir")).resolveSibling("bin-karaf");
        new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar xzf " + tarball);
        try (var entries = Files.list(dir)) {
            return entries.findFirst().orElseThrow();
        }
    }

    @Test
    void binKarafStartsOnJava25AndItsConsoleAnswers() throws Exception {
        Path home = unpack();
        assertTrue(Files.readString(home.resolve("etc/users.properties")).lines()
                .noneMatch(l -> !l.isBlank() && !l.startsWith("#")), "etc/users.properties enables no user");
        freePorts(home.resolve("etc/org.apache.karaf.shell.cfg"));
        freePorts(home.resolve("etc/org.apache.karaf.management.cfg"));
        int sshPort = sshPort(home);
        // the operator's step of README.md: a user with roles and the SHA-256 of its password (XschedDistribution.hashed)
        String password = "pw-" + Long.toHexString(System.nanoTime());
        Files.writeString(home.resolve("etc/users.properties"), "alice = " + XschedDistribution.hashed(password)
                + ",admin,manager,viewer,systembundles,ssh\n", StandardOpenOption.APPEND);

        // script(1) gives bin/karaf a terminal, as an operator has; on a pipe its console loses commands
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", home.resolve("bin/karaf").toString(), "/dev/null")
                .directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.out").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process karaf = pb.start();
        String overSsh;
        String stalled = "";
        try (OutputStream console = karaf.getOutputStream()) {
            waitForBoot(home, karaf);
            // the xsched commands come with the last boot feature; ask until they answer, as an operator would
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!output(home).contains(READY_ANSWER) && System.nanoTime() < deadline && karaf.isAlive()) {
                type(console, "xsched:policy");
                Thread.sleep(1000);
            }
            if (!output(home).contains(READY_ANSWER)) {
                stalled = stallReport(home, karaf);
            }
            for (String command : new String[] {"feature:list -i", "xsched:backends", "xsched:queues", "xsched:devices"}) {
                type(console, command);
                Thread.sleep(500);
            }
            while (!output(home).contains(LAST_ANSWER) && System.nanoTime() < deadline && karaf.isAlive()) {
                Thread.sleep(200);
            }
            try {
                overSsh = SshCommand.run(sshPort, "alice", password, "xsched:backends")
                        + SshCommand.run(sshPort, "alice", password, "jaas:whoami -r");
            } catch (IOException e) {
                // say what the server had, so that a refusal shows where it goes wrong
                throw new IOException(e.getMessage() + "\nalice in etc/users.properties: "
                        + Files.readString(home.resolve("etc/users.properties")).lines().filter(l -> l.startsWith("alice")).toList()
                        + "\nkaraf.log, ssh and jaas lines:\n" + Files.readString(home.resolve("data/log/karaf.log")).lines()
                        .filter(l -> l.contains("sshd") || l.contains("jaas") || l.contains("Login")).toList(), e);
            }
            type(console, "system:shutdown -f");
        } finally {
            if (!karaf.waitFor(60, TimeUnit.SECONDS)) {
                karaf.destroyForcibly().waitFor();
            }
        }
        String out = output(home);
        System.out.println(out);
        assertTrue(out.contains(READY_ANSWER), "xsched:policy answered" + stalled);
        assertTrue(out.contains(LAST_ANSWER), "xsched:devices answered");
        assertTrue(out.contains("xsched-backend-host"), "feature:list -i lists xsched features");
        assertTrue(out.contains("xsched.backend.host"), "xsched:backends lists the host backend's bundle");
        assertTrue(out.contains("DONE/SUBMITTED"), "xsched:queues printed its table");
        assertTrue(overSsh.contains("xsched.backend.host"), "xsched:backends over ssh:\n" + overSsh);
        assertTrue(overSsh.contains("systembundles"), "jaas:whoami -r over ssh lists alice's roles:\n" + overSsh);
        String users = Files.readString(home.resolve("etc/users.properties"));
        assertTrue(users.contains("alice = " + XschedDistribution.hashed(password) + ",") && !users.contains(password),
                "alice's hash is as written and the password is nowhere:\n" + users);
        String compat = Files.readString(home.resolve("data/log/xsched-compat.log"));
        assertTrue(compat.contains("workaround active"), "the compatibility bundle says it is active:\n" + compat);
        assertTrue(!compat.contains("WARNING"), "the compatibility bundle found everything it expected:\n" + compat);
        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertTrue(!log.contains("getSubject is not supported"), "no Subject.getSubject failure in data/log/karaf.log");
    }

    /**
     * What a boot that never brought the xsched commands up was doing: the tail of karaf.log and the
     * Karaf JVM's threads (jcmd Thread.print), also kept in {@code threads-when-stalled.txt}.
     */
    private static String stallReport(Path home, Process karaf) {
        StringBuilder report = new StringBuilder("\n--- the console never answered '" + READY_ANSWER + "'; karaf.log's last lines:\n");
        try {
            Path log = home.resolve("data/log/karaf.log");
            if (Files.exists(log)) {
                var lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> report.append(l).append('\n'));
            }
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            for (ProcessHandle java : karaf.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).toList()) {
                Path dump = home.resolve("threads-when-stalled.txt");
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(java.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
                if (p.waitFor(30, TimeUnit.SECONDS)) {
                    report.append("--- threads of pid ").append(java.pid()).append(" (").append(dump).append("):\n")
                            .append(Files.readString(dump));
                } else {
                    p.destroyForcibly();
                    report.append("--- jcmd ").append(java.pid()).append(" Thread.print did not answer in 30 s\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.append("--- interrupted while reporting\n");
        } catch (IOException | RuntimeException e) {
            report.append("--- the report itself failed: ").append(e).append('\n');
        }
        return report.toString();
    }

    private static void type(OutputStream console, String command) throws IOException {
        console.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
    }

    /** The console's output without terminal escapes and prompts. */
    private static String output(Path home) throws IOException {
        return Files.readString(home.resolve("console.out")).replaceAll("\u001B\\[[0-9;?]*[a-zA-Z]", "")
                .replace("karaf@root()>", "");
    }

    /**
     * How long boot may take before the test calls it hung: a guard, not a goal. 120 s was once
     * too short on a CI machine whose two cores were kept busy (ci-under-load.sh, 2026-12-02: the
     * console had come up, the boot features were still being installed).
     */
    private static final long BOOT_PATIENCE_SECONDS = 300;

    /** Boot is over when the features service has installed the boot features. */
    private static void waitForBoot(Path home, Process karaf) throws Exception {
        Path log = home.resolve("data/log/karaf.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_PATIENCE_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!karaf.isAlive()) {
                throw new AssertionError("bin/karaf exited with " + karaf.exitValue() + ":\n" + output(home));
            }
            if (Files.exists(log) && Files.readString(log).contains("Done.")) {
                Thread.sleep(2000);
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Karaf did not finish booting in " + BOOT_PATIENCE_SECONDS + " s:\n" + output(home));
    }
}
