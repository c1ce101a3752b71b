package xsched.backend.levelzero.internal.ze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles {@code src/test/c/struct_layouts.c} with gcc against the installed {@code ze_api.h}
 * (Debian {@code libze-dev}) and compares every struct's size and alignment and every field's offset
 * with {@link ZeStructs}: a field the header has and Java lacks (or the other way round) fails too.
 * Skipped where gcc or the header is missing.
 */
class StructLayoutsAgainstHeaderTest {
    private static final Path HEADER = Path.of("/usr/include/level_zero/ze_api.h");

    @Test
    void everyStructMatchesTheHeader(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.exists(HEADER), "no " + HEADER + " (apt-get install libze-dev)");
        Path exe = dir.resolve("struct_layouts");
        Process cc;
        try {
            cc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe.toString(),
                    Path.of("src", "test", "c", "struct_layouts.c").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no gcc: " + e.getMessage());
            return;
        }
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as(ccOut).isZero();
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isZero();

        Map<String, long[]> sizes = new LinkedHashMap<>();
        Map<String, Map<String, Long>> fields = new LinkedHashMap<>();
        for (String line : lines) {
            String[] w = line.split(" ");
            if (w[0].equals("S")) {
                sizes.put(w[1], new long[] {Long.parseLong(w[2]), Long.parseLong(w[3])});
            } else {
                fields.computeIfAbsent(w[1], k -> new LinkedHashMap<>()).put(w[2], Long.parseLong(w[3]));
            }
        }
        assertThat(sizes.keySet()).containsExactlyInAnyOrderElementsOf(ZeStructs.ALL.stream().map(l -> l.name().orElseThrow()).toList());
        int checked = 0;
        for (StructLayout layout : ZeStructs.ALL) {
            String name = layout.name().orElseThrow();
            assertThat(layout.byteSize()).as(name + " size").isEqualTo(sizes.get(name)[0]);
            assertThat(layout.byteAlignment()).as(name + " alignment").isEqualTo(sizes.get(name)[1]);
            Map<String, Long> javaFields = new LinkedHashMap<>();
            for (MemoryLayout member : layout.memberLayouts()) {
                member.name().ifPresent(field -> javaFields.put(field, ZeStructs.offset(layout, field)));
            }
            assertThat(javaFields).as(name + " fields").isEqualTo(fields.get(name));
            checked += javaFields.size();
        }
        System.out.println("[levelzero tests] " + ZeStructs.ALL.size() + " structs, " + checked
                + " fields: sizes, alignments and offsets match " + HEADER + " as gcc compiles it");
    }
}
