package xsched.backend.cuda.internal.ptx;

import java.util.Set;

/**
 * The PTX the guardian adds to an entry: declarations, the block prologue and the interrupt
 * point at a back-edge. Every name starts with {@link #PREFIX}; the rewriter refuses modules that
 * already use it.
 *
 * <p>The per-block shared word block {@code __xsched_block} holds, at 0, the logical index (u64);
 * at 8/12/16, its x/y/z components (u32); at 20, "run" (1) or "exit" (0); at 24, the Lv3 state:
 * 0 none, 1 a thread is recording the interruption, 2 stop (recorded), 3 keep running (list full).
 */
final class GuardCode {
    static final String PREFIX = "__xsched";
    static final String FLAG_PARAM = PREFIX + "_stop_flag";
    static final String CONTROL_PARAM = PREFIX + "_control";
    static final String BLOCK = PREFIX + "_block";
    private static final String P = "%" + PREFIX + "_p";
    private static final String R = "%" + PREFIX + "_r";
    private static final String RD = "%" + PREFIX + "_rd";
    private static final int STATE_NONE = 0;
    private static final int STATE_RECORDING = 1;
    private static final int STATE_STOP = 2;
    private static final int STATE_KEEP = 3;
    /**
     * An interrupt point reads the stop flag in global memory at every this many passes of a thread
     * (a power of two); the block's shared state, which says a thread of the block has stopped, at
     * every pass. The flag's load goes to L2 and is the interrupt point's main cost: reading it on
     * every pass made the stock SGEMM about 2.4 times as slow on an H200.
     */
    static final int FLAG_READ_PERIOD = 32;
    private static final String TICK = "%" + PREFIX + "_tick";

    private GuardCode() {}

    /** The register that replaces {@code %ctaid.c} for component {@code c}. */
    static String logicalRegister(char component) {
        return "%" + PREFIX + "_ctaid_" + component;
    }

    /** The two parameter declarations, comma-separated, without a leading comma. */
    static String params() {
        return "\t.param .u64 " + FLAG_PARAM + ",\n\t.param .u64 " + CONTROL_PARAM;
    }

    /** Declarations and prologue, inserted after the body's leading declarations. */
    static String prologue(boolean lv3, Set<Character> components) {
        Lines l = new Lines();
        l.add("// xsched guardian: one thread per block claims a logical block index (Lv" + (lv3 ? 3 : 2) + ")");
        l.add(".reg .pred \t" + P + ";");
        l.add(".reg .b32 \t" + R + "<8>;");
        l.add(".reg .b64 \t" + RD + "<8>;");
        for (char c : components) l.add(".reg .u32 \t" + logicalRegister(c) + ";");
        if (lv3) {
            l.add(".reg .b32 \t" + TICK + ";");
            l.add("mov.u32 \t" + TICK + ", 0;");
        }
        l.add(".shared .align 8 .b8 " + BLOCK + "[32];");
        l.add("ld.param.u64 \t" + RD + "0, [" + FLAG_PARAM + "];");
        l.add("cvta.to.global.u64 \t" + RD + "0, " + RD + "0;");
        l.add("ld.param.u64 \t" + RD + "1, [" + CONTROL_PARAM + "];");
        l.add("cvta.to.global.u64 \t" + RD + "1, " + RD + "1;");
        l.add("mov.u32 \t" + R + "0, %tid.x;");
        l.add("mov.u32 \t" + R + "1, %tid.y;");
        l.add("or.b32 \t" + R + "0, " + R + "0, " + R + "1;");
        l.add("mov.u32 \t" + R + "1, %tid.z;");
        l.add("or.b32 \t" + R + "0, " + R + "0, " + R + "1;");
        l.add("setp.ne.u32 \t" + P + ", " + R + "0, 0;");
        l.add("@" + P + " bra \t$" + PREFIX + "_decided;");
        l.add("mov.u32 \t" + R + "0, " + STATE_NONE + ";");
        l.add("st.shared.u32 \t[" + BLOCK + "+20], " + R + "0;");
        l.add("st.shared.u32 \t[" + BLOCK + "+24], " + R + "0;");
        l.add("ld.volatile.global.u32 \t" + R + "1, [" + RD + "0];");
        l.add("setp.ne.u32 \t" + P + ", " + R + "1, 0;");
        l.add("@" + P + " bra \t$" + PREFIX + "_decided;");
        if (lv3) takeRedo(l);
        l.add("atom.global.add.u64 \t" + RD + "3, [" + RD + "1+" + ControlBlockLayout.NEXT_TICKET + "], 1;");
        l.add("mov.u32 \t" + R + "2, %nctaid.x;");
        l.add("mov.u32 \t" + R + "3, %nctaid.y;");
        l.add("mov.u32 \t" + R + "4, %nctaid.z;");
        l.add("mul.wide.u32 \t" + RD + "4, " + R + "2, " + R + "3;");
        l.add("cvt.u64.u32 \t" + RD + "5, " + R + "4;");
        l.add("mul.lo.u64 \t" + RD + "5, " + RD + "4, " + RD + "5;");
        l.add("setp.ge.u64 \t" + P + ", " + RD + "3, " + RD + "5;");
        l.add("@" + P + " bra \t$" + PREFIX + "_decided;");
        l.label("$" + PREFIX + "_claimed:");
        l.add("mov.u32 \t" + R + "2, %nctaid.x;");
        l.add("cvt.u64.u32 \t" + RD + "4, " + R + "2;");
        l.add("mov.u32 \t" + R + "3, %nctaid.y;");
        l.add("cvt.u64.u32 \t" + RD + "5, " + R + "3;");
        l.add("rem.u64 \t" + RD + "6, " + RD + "3, " + RD + "4;");
        l.add("cvt.u32.u64 \t" + R + "5, " + RD + "6;");
        l.add("st.shared.u32 \t[" + BLOCK + "+8], " + R + "5;");
        l.add("div.u64 \t" + RD + "6, " + RD + "3, " + RD + "4;");
        l.add("rem.u64 \t" + RD + "7, " + RD + "6, " + RD + "5;");
        l.add("cvt.u32.u64 \t" + R + "5, " + RD + "7;");
        l.add("st.shared.u32 \t[" + BLOCK + "+12], " + R + "5;");
        l.add("div.u64 \t" + RD + "7, " + RD + "6, " + RD + "5;");
        l.add("cvt.u32.u64 \t" + R + "5, " + RD + "7;");
        l.add("st.shared.u32 \t[" + BLOCK + "+16], " + R + "5;");
        l.add("st.shared.u64 \t[" + BLOCK + "], " + RD + "3;");
        l.add("mov.u32 \t" + R + "5, 1;");
        l.add("st.shared.u32 \t[" + BLOCK + "+20], " + R + "5;");
        l.label("$" + PREFIX + "_decided:");
        l.add("bar.sync \t0;");
        l.add("ld.shared.u32 \t" + R + "0, [" + BLOCK + "+20];");
        l.add("setp.eq.u32 \t" + P + ", " + R + "0, 0;");
        l.add("@" + P + " exit;");
        for (char c : components) {
            l.add("ld.shared.u32 \t" + logicalRegister(c) + ", [" + BLOCK + "+" + (8 + 4 * (c - 'x')) + "];");
        }
        l.add("// xsched guardian: end of prologue");
        return l.text();
    }

    /** Lv3: take a redo entry below redoEnd by compare-and-swap, so redoNext never passes it. */
    private static void takeRedo(Lines l) {
        l.add("ld.global.u32 \t" + R + "2, [" + RD + "1+" + ControlBlockLayout.REDO_END + "];");
        l.add("ld.global.u32 \t" + R + "3, [" + RD + "1+" + ControlBlockLayout.CAPACITY + "];");
        l.add("min.u32 \t" + R + "2, " + R + "2, " + R + "3;");
        l.label("$" + PREFIX + "_take_redo:");
        l.add("ld.volatile.global.u32 \t" + R + "3, [" + RD + "1+" + ControlBlockLayout.REDO_NEXT + "];");
        l.add("setp.ge.u32 \t" + P + ", " + R + "3, " + R + "2;");
        l.add("@" + P + " bra \t$" + PREFIX + "_fresh;");
        l.add("add.u32 \t" + R + "4, " + R + "3, 1;");
        l.add("atom.global.cas.b32 \t" + R + "5, [" + RD + "1+" + ControlBlockLayout.REDO_NEXT + "], " + R + "3, "
                + R + "4;");
        l.add("setp.ne.u32 \t" + P + ", " + R + "5, " + R + "3;");
        l.add("@" + P + " bra \t$" + PREFIX + "_take_redo;");
        l.add("mul.wide.u32 \t" + RD + "2, " + R + "3, 8;");
        l.add("add.s64 \t" + RD + "2, " + RD + "1, " + RD + "2;");
        l.add("ld.global.u64 \t" + RD + "3, [" + RD + "2+" + ControlBlockLayout.LIST + "];");
        l.add("bra.uni \t$" + PREFIX + "_claimed;");
        l.label("$" + PREFIX + "_fresh:");
    }

    /**
     * The interrupt point placed just before back-edge branch {@code branch}; number {@code k}
     * keeps its labels unique. Only threads that will take the branch check: the block's shared
     * state every time, the stop flag every {@link #FLAG_READ_PERIOD} times; a block leaves here
     * only for a level-3 stop ({@link ControlBlockLayout#STOP_INSIDE_BLOCKS}).
     */
    static String interruptPoint(PtxStatement branch, int k) {
        String skip = "$" + PREFIX + "_bk" + k;
        String keep = "$" + PREFIX + "_keep" + k;
        String state = "[" + BLOCK + "+24]";
        Lines l = new Lines();
        l.add("// xsched interrupt point " + k);
        if (branch.isGuarded()) {
            l.add("@" + (branch.isNegatedGuard() ? "" : "!") + branch.guardPredicate() + " bra \t" + skip + ";");
        }
        l.add("ld.volatile.shared.u32 \t" + R + "6, " + state + ";");
        l.add("setp.eq.u32 \t" + P + ", " + R + "6, " + STATE_STOP + ";");
        l.add("@" + P + " exit;");
        l.add("setp.ne.u32 \t" + P + ", " + R + "6, " + STATE_NONE + ";");
        l.add("@" + P + " bra \t" + skip + ";");
        l.add("add.u32 \t" + TICK + ", " + TICK + ", 1;");
        l.add("and.b32 \t" + R + "6, " + TICK + ", " + (FLAG_READ_PERIOD - 1) + ";");
        l.add("setp.ne.u32 \t" + P + ", " + R + "6, 0;");
        l.add("@" + P + " bra \t" + skip + ";");
        l.add("ld.volatile.global.u32 \t" + R + "6, [" + RD + "0];");
        l.add("setp.lt.u32 \t" + P + ", " + R + "6, " + ControlBlockLayout.STOP_INSIDE_BLOCKS + ";");
        l.add("@" + P + " bra \t" + skip + ";");
        l.add("atom.shared.cas.b32 \t" + R + "6, " + state + ", " + STATE_NONE + ", " + STATE_RECORDING + ";");
        l.add("setp.ne.u32 \t" + P + ", " + R + "6, " + STATE_NONE + ";");
        l.add("@" + P + " bra \t" + skip + ";");
        l.add("ld.global.u32 \t" + R + "7, [" + RD + "1+" + ControlBlockLayout.CAPACITY + "];");
        l.add("atom.global.add.u32 \t" + R + "6, [" + RD + "1+" + ControlBlockLayout.RECORD_NEXT + "], 1;");
        l.add("setp.ge.u32 \t" + P + ", " + R + "6, " + R + "7;");
        l.add("@" + P + " bra \t" + keep + ";");
        l.add("mul.wide.u32 \t" + RD + "6, " + R + "6, 8;");
        l.add("add.s64 \t" + RD + "6, " + RD + "1, " + RD + "6;");
        l.add("ld.shared.u64 \t" + RD + "7, [" + BLOCK + "];");
        l.add("st.global.u64 \t[" + RD + "6+" + ControlBlockLayout.LIST + "], " + RD + "7;");
        l.add("mov.u32 \t" + R + "6, " + STATE_STOP + ";");
        l.add("st.volatile.shared.u32 \t" + state + ", " + R + "6;");
        l.add("exit;");
        l.label(keep + ":");
        l.add("mov.u32 \t" + R + "6, " + STATE_KEEP + ";");
        l.add("st.volatile.shared.u32 \t" + state + ", " + R + "6;");
        l.label(skip + ":");
        return l.text();
    }

    /** Lines joined so that the text sits between an existing indent and the statement after it. */
    private static final class Lines {
        private final StringBuilder b = new StringBuilder();

        void add(String line) {
            b.append(line).append("\n\t");
        }

        void label(String label) {
            add(label);
        }

        String text() {
            return b.toString();
        }
    }
}
