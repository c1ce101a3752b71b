package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU test's kernel assembles for Hopper, so a GPU run never fails on the PTX itself. Skipped
 * where no {@code ptxas} is installed (PATH, {@code $CUDA_HOME/bin}, {@code /usr/local/cuda/bin}).
 */
class BlockSmKernelPtxasTest {
    @TempDir
    Path dir;

    @Test
    void theKernelAssemblesForSm90() throws Exception {
        Optional<Path> ptxas = ptxas();
        assumeTrue(ptxas.isPresent(), "ptxas not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        Path file = dir.resolve("block_sm.ptx");
        Files.writeString(file, BlockSmKernel.PTX, StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(ptxas.get().toString(), "-arch=sm_90", "-o", "/dev/null", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("ptxas:%n%s", output).isZero();
    }

    private static Optional<Path> ptxas() {
        Stream<String> dirs = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)),
                Stream.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda") + "/bin", "/usr/local/cuda/bin"));
        return dirs.filter(d -> !d.isBlank()).map(d -> Path.of(d, "ptxas")).filter(Files::isExecutable).findFirst();
    }
}
