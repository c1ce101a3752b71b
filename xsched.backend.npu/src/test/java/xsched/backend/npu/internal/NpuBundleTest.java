package xsched.backend.npu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The bundle bnd made of this module (its manifest and classes in {@code target/classes}, written
 * before the tests run): the Level Zero bindings and queue of {@code xsched.backend.levelzero} are
 * inside it, privately, nothing of them is exported or imported, and the Level Zero API is imported.
 */
class NpuBundleTest {
    private static final Path CLASSES = Path.of("target", "classes");

    private static List<String> packages(String header) throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            Attributes main = new Manifest(in).getMainAttributes();
            String value = main.getValue(header);
            List<String> names = new ArrayList<>();
            if (value == null) {
                return names;
            }
            StringBuilder clause = new StringBuilder();
            boolean quoted = false;
            for (char c : (value + ",").toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    names.add(clause.toString().split(";")[0].strip());
                    clause.setLength(0);
                    continue;
                }
                clause.append(c);
            }
            return names;
        }
    }

    @Test
    void theLevelZeroBindingsAndQueueAreEmbeddedPrivatelyAndTheApiIsImported() throws IOException {
        assertThat(packages("Private-Package")).contains("xsched.backend.levelzero.internal.ze",
                "xsched.backend.levelzero.internal.queue", "xsched.backend.support", "xsched.backend.npu.internal");
        assertThat(packages("Export-Package")).containsExactly("xsched.backend.npu.embed");
        assertThat(packages("Import-Package")).contains("xsched.backend.levelzero", "xsched.api", "xsched.spi.hal")
                .noneMatch(p -> p.contains(".internal") || p.equals("xsched.backend.support"));
        for (String embedded : List.of("xsched/backend/levelzero/internal/ze/ZeNative.class",
                "xsched/backend/levelzero/internal/ze/LevelZero.class", "xsched/backend/levelzero/internal/queue/ZeQueue.class",
                "xsched/backend/levelzero/internal/queue/ListSubmission.class", "xsched/backend/support/EventSyncPoint.class")) {
            assertThat(CLASSES.resolve(embedded)).as("copied into the bundle").exists();
        }
        assertThat(CLASSES.resolve("xsched/backend/levelzero/ZeDevice.class")).as("the API stays in its own bundle").doesNotExist();
        assertThat(CLASSES.resolve("xsched/backend/levelzero/internal/LevelZeroBackend.class")).as("the GPU component stays out")
                .doesNotExist();
    }
}
