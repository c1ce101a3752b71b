package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.backend.cuda.internal.ptx.EntryGuard;
import xsched.backend.cuda.internal.ptx.GuardedModule;
import xsched.backend.cuda.internal.ptx.GuardianRewriter;

/**
 * The GPU test's kernel assembles for Hopper, so a GPU run never fails on the PTX itself. Skipped
 * where no {@code ptxas} is installed (PATH, {@code $CUDA_HOME/bin}, {@code /usr/local/cuda/bin}).
 */
class BlockSmKernelPtxasTest {
    @TempDir
    Path dir;

    @Test
    void theKernelAssemblesForSm90() throws Exception {
        assemble(BlockSmKernel.PTX);
    }

    /** The GPU test that stops a queue on a partition loads it preemptible: the guardian takes it at level 3, and that assembles too. */
    @Test
    void itsPreemptibleFormIsInterruptibleAndAssembles() throws Exception {
        GuardedModule guarded = GuardianRewriter.rewrite(BlockSmKernel.PTX, Set.of(BlockSmKernel.NAME));
        assertThat(guarded.entry(BlockSmKernel.NAME)).get().isInstanceOf(EntryGuard.Lv3.class);
        assemble(guarded.ptx());
    }

    private void assemble(String ptx) throws Exception {
        Optional<Path> ptxas = ptxas();
        assumeTrue(ptxas.isPresent(), "ptxas not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        Path file = dir.resolve("block_sm.ptx");
        Files.writeString(file, ptx, StandardCharsets.UTF_8);

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
