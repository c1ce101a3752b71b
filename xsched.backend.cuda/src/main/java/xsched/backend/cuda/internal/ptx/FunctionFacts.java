package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one function's own body does that matters to the guardian, before callees are taken into
 * account: where it reads {@code %ctaid}, what makes it unguardable ({@link #refusals()}), what makes
 * it unsafe to interrupt at back-edges ({@link #lv3Hazards()}), whom it calls, and its loop back-edges.
 *
 * @param function the function inspected
 * @param ctaidUses every {@code %ctaid.x/.y/.z} operand token
 * @param refusals reasons the function cannot run under the guardian, in source order
 * @param lv3Hazards reasons threads of one block must not leave it at different points
 * @param callees names of functions it calls directly
 * @param indirectCall true when it calls through a register
 * @param backEdges indices into the body of branches to a label earlier in the body
 */
record FunctionFacts(PtxFunction function, List<PtxToken> ctaidUses, Set<String> refusals, Set<String> lv3Hazards,
        Set<String> callees, boolean indirectCall, List<Integer> backEdges) {

    /** Opcodes whose threads must all arrive together, which a thread that left early would break. */
    private static final Set<String> COLLECTIVE = Set.of("wmma", "mma", "wgmma", "ldmatrix", "stmatrix", "movmatrix",
            "mbarrier", "tcgen05", "setmaxnreg", "elect", "brx");

    static FunctionFacts inspect(PtxFunction f) {
        List<PtxToken> ctaid = new ArrayList<>();
        Set<String> refusals = new LinkedHashSet<>();
        Set<String> hazards = new LinkedHashSet<>();
        Set<String> callees = new LinkedHashSet<>();
        boolean indirect = false;
        if (f.entry()) {
            for (PtxToken d : f.directives()) {
                if (d.isWord() && d.text().contains("cluster")) {
                    refusals.add("declares a cluster shape (" + d.text() + ")");
                }
            }
        }
        Map<String, Integer> labels = new HashMap<>();
        List<PtxStatement> body = f.body();
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).kind() == PtxStatement.Kind.LABEL) labels.put(body.get(i).label(), i);
        }
        List<Integer> backEdges = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            PtxStatement s = body.get(i);
            for (PtxToken t : s.tokens()) {
                if (t.isWord()) operandRefusal(t, ctaid, refusals);
            }
            if (s.kind() != PtxStatement.Kind.INSTRUCTION) continue;
            String op = s.opcode();
            String base = s.baseOpcode();
            if (op.startsWith("barrier.cluster") || base.equals("mapa")) {
                refusals.add("uses cluster instruction " + op + " (line " + s.line() + ")");
            }
            if (base.equals("call")) {
                String callee = calleeOf(s);
                if (callee == null || callee.startsWith("%")) {
                    indirect = true;
                } else {
                    callees.add(callee);
                    String dynamic = dynamicLaunchRefusal(callee);
                    if (dynamic != null) refusals.add(dynamic);
                }
            }
            String hazard = lv3Hazard(s, base, op);
            if (hazard != null) hazards.add(hazard + " (line " + s.line() + ")");
            if (base.equals("bra")) {
                Integer target = labels.get(s.operands().getLast().text());
                if (target != null && target < i) backEdges.add(i);
            }
        }
        return new FunctionFacts(f, List.copyOf(ctaid), refusals, hazards, callees, indirect, List.copyOf(backEdges));
    }

    private static void operandRefusal(PtxToken t, List<PtxToken> ctaid, Set<String> refusals) {
        String w = t.text();
        switch (w) {
            case "%ctaid.x", "%ctaid.y", "%ctaid.z" -> ctaid.add(t);
            case "%ctaid" -> refusals.add("reads %ctaid as a vector (line " + t.line() + ")");
            case "%nctaid" -> refusals.add("reads %nctaid as a vector (line " + t.line() + ")");
            case "%is_explicit_cluster" -> refusals.add("reads %is_explicit_cluster (line " + t.line() + ")");
            default -> {
                if (w.startsWith("%ctaid.") || w.startsWith("%nctaid.") && !w.matches("%nctaid\\.[xyz]")) {
                    refusals.add("reads an unknown grid register " + w + " (line " + t.line() + ")");
                } else if (w.startsWith("%cluster")) {
                    refusals.add("reads cluster register " + w + " (line " + t.line() + ")");
                } else if (w.contains("::cluster")) {
                    refusals.add("uses cluster shared memory " + w + " (line " + t.line() + ")");
                }
            }
        }
    }

    /** The called function's name: the first word after the opcode outside parentheses. */
    private static String calleeOf(PtxStatement s) {
        int depth = 0;
        for (PtxToken t : s.operands()) {
            if (t.is("(")) depth++;
            else if (t.is(")")) depth--;
            else if (depth == 0 && t.isWord()) return t.text();
        }
        return null;
    }

    private static String dynamicLaunchRefusal(String callee) {
        if (callee.startsWith("cudaLaunchDevice") || callee.startsWith("cudaGetParameterBuffer")
                || callee.startsWith("cudaStreamCreate") || callee.startsWith("cudaDeviceSynchronize")) {
            return "uses dynamic parallelism (calls " + callee + ")";
        }
        if (callee.startsWith("cudaCG")) {
            return "uses cooperative-groups grid synchronisation (calls " + callee + ")";
        }
        return null;
    }

    private static String lv3Hazard(PtxStatement s, String base, String op) {
        if (base.equals("bar") || base.equals("barrier")) {
            if (op.contains(".arrive")) return "splits a barrier into arrive and wait (" + op + ")";
            int expected = op.contains(".red") ? 3 : 1;
            if (s.operandCount() > expected) return "uses a barrier with a thread count (" + op + ")";
            return null;
        }
        if (COLLECTIVE.contains(base) || op.startsWith("cp.async.bulk")) return "uses " + op;
        if (op.contains(".aligned")) return "uses warp-aligned " + op;
        return null;
    }
}
