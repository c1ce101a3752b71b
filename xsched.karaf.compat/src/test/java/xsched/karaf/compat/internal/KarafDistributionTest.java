package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Weaves every class of a real Karaf distribution and compares what needed weaving with
 * {@link KarafTargets}. Runs only when {@code -Dxsched.karaf.home=<unpacked Karaf>} is given:
 * use it to refresh the target list when Karaf is upgraded.
 */
class KarafDistributionTest {
    @Test
    void wovenClassesOfTheDistributionAreExactlyTheExpectedOnes() throws IOException {
        String home = System.getProperty("xsched.karaf.home", "");
        assumeTrue(!home.isBlank(), "set -Dxsched.karaf.home to an unpacked Karaf to run this test");
        SubjectCallRewriter rewriter = new SubjectCallRewriter();
        Map<String, List<String>> woven = new TreeMap<>();
        List<String> jars;
        try (Stream<Path> files = Files.walk(Path.of(home, "system"))) {
            jars = files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().toList();
        }
        for (String jar : jars) {
            try (JarFile file = new JarFile(jar)) {
                String bsn = file.getManifest() == null ? null
                        : file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                for (JarEntry entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String className = name.substring(0, name.length() - 6).replace('/', '.');
                    SubjectCallRewriter.Rewrite rewrite = rewriter.rewrite(className, file.getInputStream(entry).readAllBytes());
                    if (rewrite != null) {
                        String symbolicName = bsn == null ? jar : bsn.split(";")[0].trim();
                        woven.computeIfAbsent(symbolicName, b -> new ArrayList<>()).add(className);
                        if (className.equals(SubjectCallRewriter.JAAS_HELPER)) {
                            assertThat(rewrite.replacedDoAs()).as(symbolicName).isEqualTo(2);
                        }
                    }
                }
            }
        }
        woven.values().forEach(Collections::sort);
        Map<String, List<String>> expected = new TreeMap<>();
        KarafTargets.EXPECTED.forEach((b, classes) -> expected.put(b, classes.stream().sorted().toList()));
        System.out.println("woven in " + home + ": " + woven);

        assertThat(woven).isEqualTo(expected);
    }
}
