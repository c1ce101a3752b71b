package xsched.backend.cuda.internal.ptx;

import static org.assertj.core.api.Assertions.assertThat;
import static xsched.backend.cuda.internal.ptx.Fixtures.count;
import static xsched.backend.cuda.internal.ptx.Fixtures.entryText;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GuardianRewriterTest {
    private static final String PROLOGUE = "// xsched guardian: one thread per block";
    private static final String INTERRUPT = "// xsched interrupt point";
    private static final String APPENDED = ".param .u64 __xsched_stop_flag,\n\t.param .u64 __xsched_control\n)";

    @Test
    void stockVectorAddIsGuardedWithEveryBlockIndexReplaced() {
        String ptx = Fixtures.stock("elementwise.ptx");

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entries()).containsExactly(new EntryGuard.Lv2("vector_add", null),
                new EntryGuard.Lv2("bias_relu", null));
        for (String e : List.of("vector_add", "bias_relu")) {
            String text = entryText(m.ptx(), e);
            assertThat(text).doesNotContain("%ctaid.").contains(APPENDED).contains("%__xsched_ctaid_x")
                    .doesNotContain(INTERRUPT);
            assertThat(count(text, PROLOGUE)).isEqualTo(1);
            assertThat(count(text, "bar.sync")).isEqualTo(1);
            assertThat(count(text, "%__xsched_ctaid_x")).isEqualTo(count(entryText(ptx, e), "%ctaid.x") + 2);
            assertThat(text).contains("%nctaid.x").contains("ld.volatile.global.u32");
        }
    }

    @Test
    void twoAndThreeDimensionalGridsGetEachComponentOfTheLogicalIndex() {
        String ptx = Fixtures.fixture("grids.ptx");

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entries()).allMatch(e -> e instanceof EntryGuard.Lv2);
        assertThat(m.ptx()).doesNotContain("%ctaid.");
        assertThat(count(m.ptx(), PROLOGUE)).isEqualTo(m.entries().size());
        String stamp = entryText(m.ptx(), "stamp_3d");
        for (char c : new char[] {'x', 'y', 'z'}) {
            assertThat(stamp).contains(".reg .u32 \t%__xsched_ctaid_" + c + ";");
            assertThat(count(stamp, "%__xsched_ctaid_" + c)).isEqualTo(count(entryText(ptx, "stamp_3d"), "%ctaid." + c) + 2);
        }
        String transpose = entryText(m.ptx(), "transpose_2d");
        assertThat(transpose).contains("%__xsched_ctaid_y").doesNotContain("%__xsched_ctaid_z");
        String many = entryText(ptx, "many_uses");
        assertThat(count(many, "%ctaid.")).isGreaterThan(3);
        assertThat(count(entryText(m.ptx(), "many_uses"), "%__xsched_ctaid_")).isEqualTo(count(many, "%ctaid.") + 6);
        // the prologue decomposes the linear ticket with nctaid.x and nctaid.y
        assertThat(stamp).contains("rem.u64").contains("div.u64").contains("mov.u32 \t%__xsched_r3, %nctaid.y;");
    }

    @Test
    void aKernelThatNeverReadsItsBlockIndexIsStillGuarded() {
        GuardedModule m = GuardianRewriter.rewrite(Fixtures.fixture("grids.ptx"));

        String text = entryText(m.ptx(), "no_block_index");
        assertThat(m.entry("no_block_index")).contains(new EntryGuard.Lv2("no_block_index", null));
        assertThat(text).contains(PROLOGUE).contains(APPENDED).doesNotContain("%__xsched_ctaid_");
    }

    @Test
    void lv3PutsAnInterruptPointBeforeEveryBackwardBranchAndNowhereElse() {
        String ptx = Fixtures.fixture("loops.ptx");
        Set<String> idempotent = Set.of("grid_stride", "collatz", "tiled_sum");

        GuardedModule m = GuardianRewriter.rewrite(ptx, idempotent);

        for (String e : idempotent) {
            List<String> backEdges = backEdges(entryText(ptx, e));
            assertThat(backEdges).as(e).isNotEmpty();
            assertThat(m.entry(e)).contains(new EntryGuard.Lv3(e, backEdges.size()));
            String text = entryText(m.ptx(), e);
            assertThat(count(text, INTERRUPT)).isEqualTo(backEdges.size());
            for (int k = 0; k < backEdges.size(); k++) {
                assertThat(text).as("%s back-edge %d", e, k).contains("$__xsched_bk" + k + ":\n\t" + backEdges.get(k));
            }
        }
        assertThat(entryText(m.ptx(), "named_barrier")).doesNotContain(INTERRUPT);
    }

    @Test
    void lv2PutsNoInterruptPoints() {
        GuardedModule m = GuardianRewriter.rewrite(Fixtures.fixture("loops.ptx"));

        assertThat(m.ptx()).doesNotContain(INTERRUPT);
        assertThat(m.entries()).allMatch(e -> e.level() == 2);
    }

    @Test
    void aPredicatedBackEdgeIsCheckedOnlyByThreadsThatTakeIt() {
        String ptx = loop("""
                	@!%p1 bra $L_loop;
                	@%p1 bra.uni $L_loop;
                """);

        GuardedModule m = GuardianRewriter.rewrite(ptx, Set.of("k"));

        assertThat(m.entry("k")).contains(new EntryGuard.Lv3("k", 2));
        assertThat(m.ptx()).contains("// xsched interrupt point 0\n\t@%p1 bra \t$__xsched_bk0;")
                .contains("// xsched interrupt point 1\n\t@!%p1 bra \t$__xsched_bk1;");
    }

    @Test
    void anInterruptPointReadsTheFlagEveryFewPassesAndLeavesOnlyForALevelThreeStop() {
        String ptx = loop("""
                	@%p1 bra $L_loop;
                """);

        String text = GuardianRewriter.rewrite(ptx, Set.of("k")).ptx();
        String point = text.substring(text.indexOf("// xsched interrupt point 0"), text.indexOf("$__xsched_bk0:"));

        assertThat(text).contains("mov.u32 \t%__xsched_tick, 0;");
        assertThat(point).contains("add.u32 \t%__xsched_tick, %__xsched_tick, 1;")
                .contains("and.b32 \t%__xsched_r6, %__xsched_tick, " + (GuardCode.FLAG_READ_PERIOD - 1) + ";")
                .contains("ld.volatile.global.u32 \t%__xsched_r6, [%__xsched_rd0];\n\tsetp.lt.u32 \t%__xsched_p, %__xsched_r6, "
                        + ControlBlockLayout.STOP_INSIDE_BLOCKS + ";");
        assertThat(point.indexOf("and.b32")).as("the flag is read only on the passes the tick lets through")
                .isLessThan(point.indexOf("ld.volatile.global"));
        assertThat(ControlBlockLayout.STOP_BETWEEN_BLOCKS).isLessThan(ControlBlockLayout.STOP_INSIDE_BLOCKS);
    }

    @Test
    void lv3FallsBackToLv2WhereThreadsMustArriveTogether() {
        GuardedModule m = GuardianRewriter.rewrite(Fixtures.fixture("loops.ptx"), Set.of("named_barrier"));

        assertThat(m.entry("named_barrier")).hasValueSatisfying(g -> {
            assertThat(g).isInstanceOf(EntryGuard.Lv2.class);
            assertThat(((EntryGuard.Lv2) g).whyNotLv3()).contains("barrier with a thread count").contains("bar.sync");
        });
    }

    @Test
    void clusterKernelsAreRefusedByteIdenticalWhileTheirNeighbourIsGuarded() {
        String ptx = Fixtures.fixture("clusters.ptx");

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entry("cluster_pair")).hasValueSatisfying(g -> {
            assertThat(g).isInstanceOf(EntryGuard.Refused.class);
            assertThat(((EntryGuard.Refused) g).reason()).contains(".explicitcluster").contains(".reqnctapercluster")
                    .contains("%cluster_ctarank").contains("barrier.cluster");
        });
        assertThat(entryText(m.ptx(), "cluster_pair")).isEqualTo(entryText(ptx, "cluster_pair"));
        assertThat(m.entry("plain_neighbour")).contains(new EntryGuard.Lv2("plain_neighbour", null));
    }

    @Test
    void anEntryReachingAFunctionThatReadsTheBlockIndexIsRefused() {
        String ptx = Fixtures.fixture("calls.ptx");

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entry("uses_block_base")).hasValueSatisfying(g -> assertThat(((EntryGuard.Refused) g).reason())
                .contains("calls .func _Z10block_basei, which reads %ctaid"));
        assertThat(entryText(m.ptx(), "uses_block_base")).isEqualTo(entryText(ptx, "uses_block_base"));
        assertThat(m.entry("uses_twice")).contains(new EntryGuard.Lv2("uses_twice", null));
        // device functions are never changed
        assertThat(m.ptx()).contains("mov.u32 \t%r2, %ctaid.x;");
    }

    @Test
    void rewritingTwiceIsDetectedByTheReservedPrefix() {
        String once = GuardianRewriter.rewrite(Fixtures.fixture("grids.ptx")).ptx();

        GuardedModule twice = GuardianRewriter.rewrite(once);

        assertThat(twice.ptx()).isEqualTo(once);
        assertThat(twice.entries()).allSatisfy(g -> assertThat(((EntryGuard.Refused) g).reason())
                .contains("reserved prefix"));
    }

    @Test
    void aUserNameWithTheReservedPrefixRefusesOnlyTheEntriesThatSeeIt() {
        String ptx = module(".entry a(.param .u64 __xsched_mine)", "\tret;\n")
                + ".visible .entry b()\n{\n\tret;\n}\n";

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entry("a").orElseThrow()).isInstanceOf(EntryGuard.Refused.class);
        assertThat(m.entry("b")).contains(new EntryGuard.Lv2("b", null));
        assertThat(m.ptx()).contains(".entry b(\n\t.param .u64 __xsched_stop_flag");
    }

    @Test
    void gridRegistersItCannotKeepCorrectAreRefusedWithTheirLine() {
        String ptx = module(".entry vec(.param .u64 p)", "\t.reg .b32 %r<5>;\n\tmov.v4.u32 {%r1, %r2, %r3, %r4}, %ctaid;\n\tret;\n")
                + ".visible .entry grid()\n{\n\t.reg .b32 %r<5>;\n\tmov.v4.u32 {%r1, %r2, %r3, %r4}, %nctaid;\n\tret;\n}\n";

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.ptx()).isEqualTo(ptx);
        assertThat(((EntryGuard.Refused) m.entry("vec").orElseThrow()).reason()).isEqualTo("reads %ctaid as a vector (line 8)");
        assertThat(((EntryGuard.Refused) m.entry("grid").orElseThrow()).reason()).contains("%nctaid as a vector");
    }

    @Test
    void dynamicParallelismIsRefused() {
        String ptx = module(".entry parent(.param .u64 p)", """
                	.reg .b64 %rd<3>;
                	{
                	.param .b64 param0;
                	.param .b64 retval0;
                	call.uni (retval0), cudaGetParameterBufferV2, (param0);
                	}
                	ret;
                """);

        assertThat(((EntryGuard.Refused) GuardianRewriter.rewrite(ptx).entries().getFirst()).reason())
                .contains("dynamic parallelism").contains("cudaGetParameterBufferV2");
    }

    @Test
    void parametersThatLeaveNoRoomForTheGuardianAreRefusedUnderTheClassicLimit() {
        String body = "\tret;\n";
        String classic = module(".entry big(.param .align 8 .b8 blob[4088])", body).replace(".version 9.0", ".version 7.0");
        String large = module(".entry big(.param .align 8 .b8 blob[4088])", body);

        assertThat(((EntryGuard.Refused) GuardianRewriter.rewrite(classic).entries().getFirst()).reason())
                .contains("4104 bytes").contains("4096-byte limit");
        assertThat(GuardianRewriter.rewrite(large).entries().getFirst()).isEqualTo(new EntryGuard.Lv2("big", null));
    }

    @Test
    void commentsMultiLineParametersAndEntriesWithoutParametersAreHandled() {
        String ptx = module("""
                .entry odd( // first parameter next
                	.param .u64 a, /* a %ctaid.x in a comment stays */
                	.param .u32 b
                )
                .maxntid 128, 1, 1""", "\t.reg .b32 %r<2>;\n\tmov.u32 %r1, %ctaid.x; // %ctaid.y\n\tret;\n")
                + ".visible .entry none\n{\n\tret;\n}\n";

        GuardedModule m = GuardianRewriter.rewrite(ptx);

        assertThat(m.entries()).containsExactly(new EntryGuard.Lv2("odd", null), new EntryGuard.Lv2("none", null));
        assertThat(m.ptx()).contains("/* a %ctaid.x in a comment stays */").contains("// %ctaid.y")
                .contains("mov.u32 %r1, %__xsched_ctaid_x;").contains(".param .u32 b,\n\t.param .u64 __xsched_stop_flag")
                .contains(".entry none(\n\t.param .u64 __xsched_stop_flag,\n\t.param .u64 __xsched_control\n)\n{");
    }

    @Test
    void theControlBlockLayoutMatchesTheOffsetsTheDeviceCodeUses() {
        ControlBlockLayout layout = new ControlBlockLayout(100);

        assertThat(layout.bytes()).isEqualTo(24 + 800);
        assertThat(layout.entry(0)).isEqualTo(24);
        assertThat(layout.entry(99)).isEqualTo(24 + 792);
        assertThat(layout.initialHeader()).hasSize(24).startsWith(new byte[20]).endsWith(100, 0, 0, 0);
        String lv3 = GuardianRewriter.rewrite(Fixtures.fixture("loops.ptx"), Set.of("collatz")).ptx();
        assertThat(lv3).contains("atom.global.add.u64 \t%__xsched_rd3, [%__xsched_rd1+0], 1;")
                .contains("atom.global.cas.b32 \t%__xsched_r5, [%__xsched_rd1+8]")
                .contains("ld.global.u32 \t%__xsched_r2, [%__xsched_rd1+12];")
                .contains("atom.global.add.u32 \t%__xsched_r6, [%__xsched_rd1+16], 1;")
                .contains("ld.global.u32 \t%__xsched_r7, [%__xsched_rd1+20];")
                .contains("st.global.u64 \t[%__xsched_rd6+24], %__xsched_rd7;");
    }

    /** The back-edge branch lines of an nvcc entry: branches to a label defined above them. */
    private static List<String> backEdges(String entry) {
        List<String> labels = new ArrayList<>();
        List<String> out = new ArrayList<>();
        Matcher bra = Pattern.compile("^\\s*(@!?%\\w+\\s+)?bra(\\.uni)?\\s+(\\$\\w+);").matcher("");
        for (String line : entry.split("\n")) {
            if (line.matches("^\\$\\w+:.*")) labels.add(line.substring(0, line.indexOf(':')));
            if (bra.reset(line).find() && labels.contains(bra.group(3))) out.add(line.strip());
        }
        return out;
    }

    /** An entry {@code k} whose loop counts to 10 and ends with {@code backEdges}. */
    private static String loop(String backEdges) {
        return module(".entry k(.param .u32 n)", """
                	.reg .pred %p<2>;
                	.reg .b32 %r<3>;
                	mov.u32 %r1, 0;
                $L_loop:
                	add.s32 %r1, %r1, 1;
                	setp.lt.s32 %p1, %r1, 10;
                """ + backEdges + """
                	ret;
                """);
    }

    private static String module(String header, String body) {
        return ".version 9.0\n.target sm_90\n.address_size 64\n\n.visible " + header + "\n{\n" + body + "}\n";
    }
}
