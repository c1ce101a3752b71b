package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Rewrites the {@code .entry} functions of a PTX module so that xsched can stop them between
 * blocks (Lv2, "guardian") and, for kernels declared block-idempotent, inside loops (Lv3,
 * "interrupt points"). See the package documentation for the device protocol and what the host
 * does before a launch, on stop and before a relaunch.
 *
 * <p>Each entry is handled on its own: an entry the rewriter cannot keep correct is left byte
 * for byte as it was and reported as {@link EntryGuard.Refused} with the reason, while the other
 * entries of the module are still guarded. Device functions ({@code .func}) are never changed; an
 * entry that reaches one which reads {@code %ctaid} is refused, since the function would see the
 * physical rather than the logical block index (passing the index as an argument would change
 * the function's signature for every caller, including entries that are refused).
 */
public final class GuardianRewriter {
    private GuardianRewriter() {}

    /** Guards every entry it can at Lv2. */
    public static GuardedModule rewrite(String ptx) {
        return rewrite(ptx, Set.of());
    }

    /**
     * Guards every entry it can: those named in {@code blockIdempotent} at Lv3 where that is safe,
     * the rest at Lv2.
     *
     * @param ptx the module text
     * @param blockIdempotent entries whose blocks may be run again from the start after being cut
     *        off part-way (they do not accumulate into memory they also read, use no atomics whose
     *        effect a second run would double, and form no address from data other threads of the
     *        block wrote)
     * @throws PtxSyntaxException when the module cannot be split into functions at all
     */
    public static GuardedModule rewrite(String ptx, Set<String> blockIdempotent) {
        PtxModule module = PtxModule.parse(ptx);
        Map<String, FunctionFacts> funcs = new LinkedHashMap<>();
        List<FunctionFacts> entries = new ArrayList<>();
        for (PtxFunction f : module.functions()) {
            FunctionFacts facts = FunctionFacts.inspect(f);
            if (f.entry()) {
                entries.add(facts);
            } else {
                funcs.put(f.name(), facts);
            }
        }
        boolean prefixOutside = module.outsideTokens().stream().anyMatch(t -> t.text().contains(GuardCode.PREFIX));
        TextEdits edits = new TextEdits();
        List<EntryGuard> outcomes = new ArrayList<>();
        for (FunctionFacts entry : entries) {
            outcomes.add(guard(module, entry, funcs, prefixOutside, blockIdempotent.contains(entry.function().name()),
                    edits));
        }
        return new GuardedModule(edits.applyTo(ptx), outcomes);
    }

    private static EntryGuard guard(PtxModule module, FunctionFacts entry, Map<String, FunctionFacts> funcs,
            boolean prefixOutside, boolean wantLv3, TextEdits edits) {
        PtxFunction f = entry.function();
        List<FunctionFacts> reached = reachable(entry, funcs);
        Set<String> refusals = new LinkedHashSet<>();
        boolean prefixUsed = prefixOutside || reached.stream().anyMatch(r -> module.text()
                .substring(r.function().start(), r.function().end()).contains(GuardCode.PREFIX));
        if (prefixUsed) {
            refusals.add("the module already uses names starting with " + GuardCode.PREFIX
                    + ", the guardian's reserved prefix (was it rewritten already?)");
        }
        refusals.addAll(entry.refusals());
        List<String> hazards = new ArrayList<>(entry.lv3Hazards());
        boolean indirect = entry.indirectCall();
        for (FunctionFacts callee : reached.subList(1, reached.size())) {
            String via = "calls .func " + callee.function().name() + ", which ";
            if (!callee.ctaidUses().isEmpty()) {
                refusals.add(via + "reads %ctaid (line " + callee.ctaidUses().getFirst().line()
                        + "); device functions are not rewritten to take the logical block index");
            }
            callee.refusals().forEach(r -> refusals.add(via + r));
            callee.lv3Hazards().forEach(h -> hazards.add(via + h));
            indirect |= callee.indirectCall();
        }
        if (indirect) {
            funcs.values().stream().filter(g -> !g.ctaidUses().isEmpty() || !g.refusals().isEmpty()).findFirst()
                    .ifPresent(g -> refusals.add("makes an indirect call, and .func " + g.function().name()
                            + " in this module reads %ctaid or cannot be guarded"));
        }
        try {
            long size = ParamSpace.sizeWithGuard(f.params());
            int limit = ParamSpace.limit(module);
            if (size > limit) {
                refusals.add("its parameters would take " + size + " bytes with the guardian's two pointers, over the "
                        + limit + "-byte limit");
            }
        } catch (IllegalArgumentException e) {
            refusals.add(e.getMessage());
        }
        if (!refusals.isEmpty()) return new EntryGuard.Refused(f.name(), String.join("; ", refusals));

        boolean lv3 = wantLv3 && hazards.isEmpty();
        edit(f, entry, lv3, edits);
        if (lv3) return new EntryGuard.Lv3(f.name(), entry.backEdges().size());
        String whyNot = wantLv3 ? "threads of a block must not leave at different points: " + String.join("; ", hazards)
                : null;
        return new EntryGuard.Lv2(f.name(), whyNot);
    }

    private static void edit(PtxFunction f, FunctionFacts facts, boolean lv3, TextEdits edits) {
        if (f.paramClose() == null) {
            edits.insert(f.nameToken().end(), "(\n" + GuardCode.params() + "\n)");
        } else if (f.params().isEmpty()) {
            edits.insert(f.paramOpen().end(), "\n" + GuardCode.params() + "\n");
        } else {
            edits.insert(f.params().getLast().getLast().end(), ",\n" + GuardCode.params());
        }
        SortedSet<Character> components = new TreeSet<>();
        for (PtxToken use : facts.ctaidUses()) {
            char c = use.text().charAt(use.text().length() - 1);
            components.add(c);
            edits.replace(use.start(), use.end(), GuardCode.logicalRegister(c));
        }
        int at = f.bodyOpen().end();
        for (PtxStatement s : f.body()) {
            String first = s.tokens().getFirst().text();
            if (s.kind() != PtxStatement.Kind.DIRECTIVE || !Set.of(".reg", ".local", ".shared").contains(first)) break;
            at = s.end();
        }
        edits.insert(at, "\n\t" + GuardCode.prologue(lv3, components));
        if (lv3) {
            int k = 0;
            for (int index : facts.backEdges()) {
                PtxStatement branch = f.body().get(index);
                edits.insert(branch.start(), GuardCode.interruptPoint(branch, k++));
            }
        }
    }

    /** The entry followed by every module function it reaches through direct calls. */
    private static List<FunctionFacts> reachable(FunctionFacts entry, Map<String, FunctionFacts> funcs) {
        List<FunctionFacts> out = new ArrayList<>(List.of(entry));
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < out.size(); i++) {
            for (String callee : out.get(i).callees()) {
                FunctionFacts g = funcs.get(callee);
                if (g != null && seen.add(callee)) out.add(g);
            }
        }
        return out;
    }
}
