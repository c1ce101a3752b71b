package xsched.backend.hip.internal.codeobject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.hip.TestObjects;

/** Kernel signatures from the metadata of real code objects (clang 15, see src/test/hip/regenerate.sh). */
class CodeObjectTest {
    @Test
    void readsEveryKernelsParametersFromTheMetadata() {
        CodeObject co = CodeObject.read(TestObjects.codeObject("gfx90a"));
        assertThat(co.readable()).as(co.unreadableReason()).isTrue();
        assertThat(co.targets()).singleElement().asString().startsWith("amdgcn-amd-amdhsa--gfx90a");
        assertThat(co.kernels()).containsOnlyKeys("mark", "vadd", "scale", "small");

        KernelSignature mark = co.kernel("mark").orElseThrow();
        assertThat(mark.params()).extracting(KernelSignature.Param::valueKind)
                .containsExactly("global_buffer", "global_buffer", "global_buffer", "by_value");
        assertThat(mark.sizes()).containsExactly(8, 8, 8, 4);
        assertThat(mark.params()).extracting(KernelSignature.Param::offset).containsExactly(0, 8, 16, 24);
        assertThat(mark.kernargSegmentSize()).as("declared arguments, then any hidden ones").isGreaterThanOrEqualTo(28);

        KernelSignature scale = co.kernel("scale").orElseThrow();
        assertThat(scale.sizes()).as("double*, double, long, char").containsExactly(8, 8, 8, 1);
        assertThat(scale.params()).extracting(KernelSignature.Param::offset).containsExactly(0, 8, 16, 24);

        assertThat(co.kernel("small").orElseThrow().maxFlatWorkgroupSize()).as("launch bounds (1, 64)").isEqualTo(64);
        assertThat(co.kernel("vadd").orElseThrow().maxFlatWorkgroupSize()).isEqualTo(1024);
    }

    @Test
    void everyCommittedArchitectureDescribesTheSameKernels() {
        KernelSignature reference = CodeObject.read(TestObjects.codeObject("gfx90a")).kernel("scale").orElseThrow();
        for (String arch : TestObjects.ARCHS) {
            CodeObject co = CodeObject.read(TestObjects.codeObject(arch));
            assertThat(co.readable()).as(arch + ": " + co.unreadableReason()).isTrue();
            assertThat(co.targets()).as(arch).singleElement().asString().contains(arch);
            assertThat(co.kernel("scale").orElseThrow().params()).as(arch).isEqualTo(reference.params());
        }
    }

    @Test
    void readsTheFirstAmdgpuEntryOfAnOffloadBundle() {
        byte[] gfx90a = TestObjects.codeObject("gfx90a");
        byte[] gfx1100 = TestObjects.codeObject("gfx1100");
        byte[] bundle = bundle(List.of("host-x86_64-unknown-linux-gnu", "hipv4-amdgcn-amd-amdhsa--gfx90a",
                "hipv4-amdgcn-amd-amdhsa--gfx1100"), List.of(new byte[0], gfx90a, gfx1100));
        CodeObject co = CodeObject.read(bundle);
        assertThat(co.readable()).as(co.unreadableReason()).isTrue();
        assertThat(co.targets()).containsExactly("amdgcn-amd-amdhsa--gfx90a", "amdgcn-amd-amdhsa--gfx1100");
        assertThat(co.kernel("mark").orElseThrow().sizes()).containsExactly(8, 8, 8, 4);
    }

    @Test
    void saysWhyAnImageCannotBeRead() {
        assertThat(CodeObject.read("CCOB....".getBytes(StandardCharsets.US_ASCII)).unreadableReason()).contains("compressed");
        assertThat(CodeObject.read(new byte[] {1, 2, 3}).unreadableReason()).contains("neither an AMDGPU ELF");
        byte[] truncated = Arrays.copyOf(TestObjects.codeObject("gfx90a"), 200);
        assertThat(CodeObject.read(truncated).readable()).isFalse();
        byte[] x86 = TestObjects.codeObject("gfx90a");
        x86[18] = 62;
        x86[19] = 0;
        assertThat(CodeObject.read(x86).unreadableReason()).contains("machine 62");
        byte[] hostOnly = bundle(List.of("host-x86_64-unknown-linux-gnu"), List.of(new byte[0]));
        assertThat(CodeObject.read(hostOnly).unreadableReason()).contains("no AMDGPU code object");
    }

    @Test
    void aCorruptedImageIsUnreadableNeverAnException() {
        byte[] good = TestObjects.codeObject("gfx90a");
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] bad = good.clone();
            for (int flips = 0; flips < 4; flips++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            CodeObject co = CodeObject.read(bad);
            assertThat(co.readable() || co.unreadableReason() != null).isTrue();
        }
    }

    /** An uncompressed clang offload bundle, as clang-offload-bundler writes it. */
    static byte[] bundle(List<String> triples, List<byte[]> images) {
        byte[] magic = "__CLANG_OFFLOAD_BUNDLE__".getBytes(StandardCharsets.US_ASCII);
        int header = magic.length + 8 + triples.stream().mapToInt(t -> 24 + t.length()).sum();
        int size = header + images.stream().mapToInt(i -> i.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(magic).putLong(triples.size());
        long offset = header;
        for (int i = 0; i < triples.size(); i++) {
            out.putLong(offset).putLong(images.get(i).length).putLong(triples.get(i).length()).put(triples.get(i).getBytes(StandardCharsets.US_ASCII));
            offset += images.get(i).length;
        }
        images.forEach(out::put);
        return out.array();
    }
}
