package xsched.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./xsched run} on a machine without a GPU: programs run with the interposer preloaded and
 * end with their own status; bad options are refused with a message.
 */
class RunCommandTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    record Result(int status, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("xsched").toString(), "run"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().putAll(env);
        Path out = Files.createTempFile("xsched-run", ".out");
        Path err = Files.createTempFile("xsched-run", ".err");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("xsched run " + String.join(" ", args) + " did not end within 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    void aProgramWithoutCudaRunsAndEndsWithItsOwnStatus() throws Exception {
        assertThat(run(Map.of(), "--", "true").status()).isZero();
        Result seven = run(Map.of(), "--priority", "5", "--", "sh", "-c", "echo hello; exit 7");
        assertThat(seven.status()).isEqualTo(7);
        assertThat(seven.out()).isEqualTo("hello\n");
        assertThat(seven.err()).as("nothing was intercepted, so no agent started and nothing was said").isEmpty();
    }

    @Test
    void theInterposerIsPreloadedAndTheProgramSeesItsSettings() throws Exception {
        Result r = run(Map.of(), "--priority", "-3", "--utilization", "40", "--deadline", "2ms", "--level", "2", "--name", "job 1",
                "--", "sh", "-c", "echo \"$LD_PRELOAD|$XSCHED_PRIORITY|$XSCHED_UTILIZATION|$XSCHED_DEADLINE|$XSCHED_LEVEL|$XSCHED_NAME\"");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).endsWith("|-3|40|2ms|2|job 1").contains("libxsched-interpose.so");
    }

    @Test
    void aJvmRunsUnderTheInterposerWhoseDlsymForwardsEverything() throws Exception {
        // a JVM resolves hundreds of symbols through dlsym: the interposed dlsym must hand back the real ones
        String java = ProcessHandle.current().info().command().orElseThrow();
        Result r = run(Map.of(), "--", java, "-version");
        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("version \"25");
    }

    @Test
    void badOptionsAreRefusedWithAMessageAndStatus2() throws Exception {
        Result priority = run(Map.of(), "--priority", "4294967306", "--", "true");
        assertThat(priority.status()).isEqualTo(2);
        assertThat(priority.err()).contains("--priority must be a whole number in -255…255, not '4294967306'");
        assertThat(run(Map.of(), "--priority", "300", "--", "true").status()).isEqualTo(2);
        assertThat(run(Map.of(), "--utilization", "101", "--", "true").err()).contains("--utilization must be");
        assertThat(run(Map.of(), "--deadline", "soon", "--", "true").err()).contains("--deadline must be a duration");
        assertThat(run(Map.of(), "--level", "4", "--", "true").status()).isEqualTo(2);
        assertThat(run(Map.of(), "--frobnicate", "--", "true").err()).contains("unknown option '--frobnicate'");
        assertThat(run(Map.of(), "--priority").err()).contains("--priority needs a value");
        assertThat(run(Map.of()).err()).contains("no program given");
        Result missing = run(Map.of(), "--", "no-such-program-xsched");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.err()).contains("no-such-program-xsched: command not found");
    }
}
