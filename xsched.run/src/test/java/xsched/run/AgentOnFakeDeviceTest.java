package xsched.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.api.dto.QueueDTO;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * {@code xsched run} end to end on a fake CUDA device, without a GPU: the real interposer and agent
 * in a driver API program (src/test/c/device_program.c) over a stand-in {@code libcuda.so.1}
 * (src/test/c/fake_device.c) that runs every stream operation at once and logs each kernel launch
 * per stream, with an in-process node daemon (HPF) on a socket. The agent opens xsched's real CUDA
 * backend on the fake (platform, gate probe, level 1 and level 2 queues over the program's own
 * streams), connects, and every intercepted launch, copy and memset becomes a command of its
 * stream's XQueue, launched before the call returns. Proved: the program's launches all reach the
 * driver exactly once, in order per stream, with the program's arguments; while the program waits
 * (its streams alive, its work done) the daemon lists one queue per stream, the legacy stream's
 * included, of the program's pid, named after {@code --name}, with the {@code --priority} and
 * level asked for, whose submitted and finished counts are exactly the intercepted calls made on
 * that stream; and the queues and the connection go away once the program destroyed its streams
 * and ended. A program launching from two threads on their per-thread default streams gets one
 * level 1 queue per thread, and each launch lands once on its own thread's stream (the fake keeps a
 * stream per thread, and counts the threads that ever used one). Asserts outcomes, never timings
 * (waits are bounded only to fail a hung run).
 */
class AgentOnFakeDeviceTest {
    private static final Path OUT = Path.of("target", "fake-device").toAbsolutePath();
    private static final long PATIENCE_SECONDS = 60;
    /** What device_program.c does: 500 kernels and 2 copies on stream a, 500 kernels and 1 memset on b, 20 kernels on the legacy stream. */
    private static final long ON_A = 502;
    private static final long ON_B = 501;
    private static final long ON_LEGACY = 20;
    private static final String PASS_LINE = ": launches stream a 500/500 in order, stream b 500/500 in order, legacy stream 20/20 in order;"
            + " copies ok; unmodelled 0: PASS";
    private static final Pattern READY = Pattern.compile("ready pid=(\\d+) a=0x([0-9a-f]+) b=0x([0-9a-f]+)");

    @TempDir
    Path dir;
    private Path socket;
    private EmbeddedXsched daemonRuntime;
    private NodeServer daemon;

    @BeforeAll
    static void buildTheFakeDeviceAndTheProgram() throws Exception {
        Process cc = new ProcessBuilder("bash", "-c", "command -v \"${CC:-cc}\"").redirectErrorStream(true).start();
        cc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assumeTrue(cc.waitFor() == 0, "no C compiler (cc, or $CC): the fake device cannot be built");
        Path log = Files.createDirectories(OUT).resolve("build-fake-device.log");
        Process build = new ProcessBuilder("bash", Path.of("src", "test", "c", "build-fake-device.sh").toString(), OUT.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(build.waitFor(300, TimeUnit.SECONDS)).as("build-fake-device.sh ends").isTrue();
        assertThat(build.exitValue()).as(Files.readString(log)).isZero();
    }

    @BeforeEach
    void startTheDaemon() throws Exception {
        socket = dir.resolve("xsched.sock");
        daemonRuntime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
        daemon = NodeServer.start(daemonRuntime, daemonRuntime.foreignQueues(), ServerSettings.at(socket));
    }

    @AfterEach
    void stopTheDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        if (daemonRuntime != null) {
            daemonRuntime.close();
        }
    }

    @Test
    void everyLaunchGoesThroughAGatedQueueOfTheDaemonAndReachesTheDeviceOnceInOrder() throws Exception {
        // both ways a program reaches the driver: as the CUDA runtime does, and linked
        runOnTheFakeDevice("device_program", List.of("--level", "2"), 2);
        runOnTheFakeDevice("device_program_linked", List.of("--level", "2"), 2);
    }

    @Test
    void byDefaultTheQueuesAreLevel1StreamQueuesAndEveryLaunchStillArrivesOnceInOrder() throws Exception {
        runOnTheFakeDevice("device_program", List.of(), 1);
    }

    /** Starts {@code command} with this test's daemon and fake driver, and none of the caller's xsched settings. */
    private Process startUnderTheDaemon(List<String> command, Path out, Path err) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = b.environment();
        env.keySet().removeIf(k -> k.startsWith("XSCHED_") || k.equals("LD_PRELOAD") || k.equals("CUDA_DEVICE_MAX_CONNECTIONS"));
        env.put("XSCHED_SOCKET", socket.toString());
        env.put("LD_LIBRARY_PATH", OUT.toString());
        return b.start();
    }

    private void runOnTheFakeDevice(String program, List<String> options, int level) throws Exception {
        Path go = dir.resolve(program + "-" + level + ".go");
        Path out = dir.resolve(program + "-" + level + ".out");
        Path err = dir.resolve(program + "-" + level + ".err");
        List<String> command = new ArrayList<>(List.of("bash", RunCommandTest.REPO.resolve("xsched").toString(), "run",
                "--verbose", "--priority", "5", "--name", "fake"));
        command.addAll(options);
        command.addAll(List.of("--", OUT.resolve(program).toString(), go.toString()));
        Process p = startUnderTheDaemon(command, out, err);
        try {
            Callable<String> outputs = () -> "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err) + "\n" + queues();
            Matcher ready = READY.matcher("");
            eventually(program + " has done its work and waits", () -> {
                assertThat(p.isAlive()).as(program + " ended early, status %s%s", p.isAlive() ? "" : p.exitValue(), outputs.call())
                        .isTrue();
                return ready.reset(Files.readString(out, StandardCharsets.UTF_8)).find();
            }, outputs);
            long pid = Long.parseLong(ready.group(1));
            assertThat(pid).as("xsched run execs the program").isEqualTo(p.pid());
            Set<String> names = Set.of("fake stream 0x" + ready.group(2), "fake stream 0x" + ready.group(3), "fake legacy stream");
            eventually("the daemon lists the program's three stream queues with every intercepted call submitted and finished", () -> {
                List<QueueDTO> listed = daemonRuntime.snapshot().queues.stream().filter(q -> q.pid == pid).toList();
                Map<String, QueueDTO> mine = listed.stream().collect(Collectors.toMap(q -> q.name, q -> q, (x, y) -> x));
                return listed.size() == names.size() && mine.keySet().equals(names)
                        && counts(mine.get("fake stream 0x" + ready.group(2)), ON_A)
                        && counts(mine.get("fake stream 0x" + ready.group(3)), ON_B)
                        && counts(mine.get("fake legacy stream"), ON_LEGACY)
                        && mine.values().stream().allMatch(q -> q.priority == 5 && q.level == level && q.device.equals("cuda:0"))
                        // protocol 3: the agent's runtime lists its queues for the daemon at its refresh (needs the DTO classes)
                        && mine.values().stream().allMatch(q -> q.stopsAt != null && q.effectiveLevel >= 1)
                        && daemon.clients().stream().anyMatch(c -> c.pid() == pid && c.queues() == 3);
            }, outputs);
            assertThat(daemon.clients()).as("the program is the daemon's one client, named after --name, with its three queues")
                    .singleElement().satisfies(c -> {
                        assertThat(c.pid()).isEqualTo(pid);
                        assertThat(c.name()).isEqualTo("fake");
                        assertThat(c.queues()).isEqualTo(3);
                    });

            Files.createFile(go);
            assertThat(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as(program + " ends once told to" + outputs.call()).isTrue();
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(outputs.call()).isZero();
            assertThat(stdout).as("the program's own verdict").contains(PASS_LINE);
            assertThat(stderr).as("the agent started inside the program and connected")
                    .containsOnlyOnce("xsched run: agent started in pid " + pid + " ('fake'), connected to " + socket + "; ")
                    .contains("CUDA 12.8 (libcuda.so.1, ").contains(": cuda:0 (fake GPU, sm_90, 132 SMs) Lv")
                    .contains("; [cuda:0 Lv" + (level >= 2 ? 3 : 1) + "], queues at Lv" + level + ", launch window ")
                    .as("the warm-up ran its launches before the program's calls, in a runtime the daemon does not see")
                    .contains("; warm-up: 20000 launches in ")
                    .as("at level 1 the warm-up takes from a lane of its own as the interposer does; gated queues have none")
                    .satisfies(e -> assertThat(e.contains(" more through its lane")).isEqualTo(level == 1))
                    .doesNotContain("running natively").doesNotContain("runs natively").doesNotContain("not modelled")
                    .doesNotContain("failed").doesNotContain("Exception").doesNotContain("WARN");
            eventually("the program's queues and connection are gone", () -> daemonRuntime.snapshot().queues.stream()
                    .noneMatch(q -> q.pid == pid) && daemon.clients().stream().noneMatch(c -> c.pid() == pid), outputs);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void eachThreadsPerThreadStreamIsAQueueOfItsOwnAndEachLaunchIsMadeOnceOnThatThread() throws Exception {
        Path go = dir.resolve("per-thread.go");
        Path out = dir.resolve("per-thread.out");
        Path err = dir.resolve("per-thread.err");
        Process p = startUnderTheDaemon(List.of("bash", RunCommandTest.REPO.resolve("xsched").toString(), "run", "--verbose", "--name",
                "fake", "--", OUT.resolve("device_program").toString(), "--per-thread", go.toString()), out, err);
        try {
            Callable<String> outputs = () -> "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err) + "\n" + queues();
            Matcher ready = Pattern.compile("ready pid=(\\d+)").matcher("");
            eventually("the program's two threads have launched and checked their own streams", () -> {
                assertThat(p.isAlive()).as("ended early%s", outputs.call()).isTrue();
                return ready.reset(Files.readString(out, StandardCharsets.UTF_8)).find();
            }, outputs);
            long pid = Long.parseLong(ready.group(1));
            eventually("the daemon lists one level 1 queue per launching thread, each with that thread's 200 calls", () -> {
                List<QueueDTO> mine = daemonRuntime.snapshot().queues.stream().filter(q -> q.pid == pid).toList();
                return mine.size() == 2 && mine.stream().allMatch(q -> q.name.startsWith("fake per-thread stream of thread ")
                        && q.level == 1 && counts(q, 200)) && !mine.get(0).name.equals(mine.get(1).name);
            }, outputs);
            Files.createFile(go);
            assertThat(p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("ends once told to" + outputs.call()).isTrue();
            assertThat(p.exitValue()).as(outputs.call()).isZero();
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).as("the program's own verdict: every launch on its own thread's stream")
                    .contains(": per-thread streams: thread 0 200/200 in order, thread 1 200/200 in order; 2 per-thread streams;"
                            + " unmodelled 0: PASS");
            assertThat(Files.readString(err, StandardCharsets.UTF_8)).contains("xsched run: agent started in pid " + pid)
                    .doesNotContain("running natively").doesNotContain("runs natively").doesNotContain("not modelled")
                    .doesNotContain("failed").doesNotContain("Exception").doesNotContain("WARN");
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean counts(QueueDTO q, long calls) {
        return q.submitted == calls && q.finished == calls;
    }

    private String queues() {
        StringBuilder s = new StringBuilder("daemon queues:");
        for (QueueDTO q : daemonRuntime.snapshot().queues) {
            s.append("\n  ").append(q.name).append(" pid=").append(q.pid).append(" device=").append(q.device).append(" level=")
                    .append(q.level).append(" prio=").append(q.priority).append(' ').append(q.state).append(" submitted=")
                    .append(q.submitted).append(" finished=").append(q.finished);
        }
        return s.append("\nclients: ").append(daemon.clients()).toString();
    }

    /** Waits for a condition, bounded only to fail a hung run. */
    private static void eventually(String what, Callable<Boolean> condition, Callable<String> state) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.call()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("never happened within " + PATIENCE_SECONDS + " s: " + what + state.call());
            }
            Thread.sleep(20);
        }
    }
}
