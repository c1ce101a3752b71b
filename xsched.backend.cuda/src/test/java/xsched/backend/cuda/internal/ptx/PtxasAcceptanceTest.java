package xsched.backend.cuda.internal.ptx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rewritten fixture must assemble for Hopper. Skipped where no {@code ptxas} is installed
 * (looked for on PATH, in {@code $CUDA_HOME/bin} and in {@code /usr/local/cuda/bin}).
 */
class PtxasAcceptanceTest {
    @TempDir
    Path dir;

    static Stream<Arguments> modules() {
        List<Arguments> out = new ArrayList<>();
        for (String n : Fixtures.TEST_FIXTURES) {
            out.add(Arguments.of(n, Fixtures.fixture(n), false));
            out.add(Arguments.of(n, Fixtures.fixture(n), true));
        }
        for (String n : Fixtures.STOCK_KERNELS) {
            out.add(Arguments.of(n, Fixtures.stock(n), false));
            out.add(Arguments.of(n, Fixtures.stock(n), true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, Lv3 asked: {2}")
    @MethodSource("modules")
    void rewrittenModuleAssemblesForSm90(String name, String ptx, boolean lv3) throws Exception {
        Optional<Path> ptxas = ptxas();
        assumeTrue(ptxas.isPresent(), "ptxas not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        Set<String> idempotent = lv3 ? allEntries(ptx) : Set.of();
        GuardedModule guarded = GuardianRewriter.rewrite(ptx, idempotent);
        assertThat(guarded.entries()).anyMatch(e -> e.level() >= 2);

        Path file = dir.resolve(name);
        Files.writeString(file, guarded.ptx(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(ptxas.get().toString(), "-arch=sm_90", "-o", "/dev/null", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("ptxas on rewritten %s:%n%s", name, output).isZero();
    }

    private static Set<String> allEntries(String ptx) {
        return Set.copyOf(GuardianRewriter.rewrite(ptx).entries().stream().map(EntryGuard::entry).toList());
    }

    static Optional<Path> ptxas() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) if (!d.isEmpty()) candidates.add(Path.of(d, "ptxas"));
        }
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) candidates.add(Path.of(cudaHome, "bin", "ptxas"));
        candidates.add(Path.of("/usr/local/cuda/bin/ptxas"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

}
