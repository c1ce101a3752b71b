package xsched.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The interposer without a GPU: a fake {@code libcuda.so.1} and driver programs (src/test/c) check
 * that every lookup path (dlsym, cuGetProcAddress with and without per-thread streams, direct
 * linking) reaches the driver exactly once per call; then the same driver runs under
 * {@code ./xsched run} with the real agent, which finds no daemon and lets the program run natively.
 */
class InterposerTest {
    private static final Path OUT = Path.of("target", "c-tests").toAbsolutePath();

    @Test
    void theCTestsPass() throws Exception {
        Process p = new ProcessBuilder("bash", Path.of("src", "test", "c", "run-tests.sh").toString(), OUT.toString())
                .redirectErrorStream(true).redirectOutput(Files.createDirectories(OUT).resolve("run-tests.log").toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("run-tests.sh ends").isTrue();
        assertThat(p.exitValue()).as(Files.readString(OUT.resolve("run-tests.log"))).isZero();
    }

    @Test
    void withoutADaemonTheRealAgentStartsAndLetsTheProgramRunNatively() throws Exception {
        theCTestsPass();
        Path socket = OUT.resolve("no-daemon.sock");
        for (String driver : new String[] {"test_driver", "test_driver_linked"}) {
            RunCommandTest.Result r = RunCommandTest.run(Map.of("LD_LIBRARY_PATH", OUT.toString(), "XSCHED_SOCKET", socket.toString()),
                    "--verbose", "--priority", "5", "--", OUT.resolve(driver).toString(), "preload");
            assertThat(r.status()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains(", 0 failed");
            assertThat(r.err()).as("the agent started inside the program, found no daemon and said so once")
                    .containsOnlyOnce("xsched run: running natively: no xsched daemon at " + socket);
        }
    }
}
