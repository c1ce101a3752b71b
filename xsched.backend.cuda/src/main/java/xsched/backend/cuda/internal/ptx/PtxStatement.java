package xsched.backend.cuda.internal.ptx;

import java.util.List;

/**
 * One statement of a function body: an instruction or directive up to its {@code ;}, a label, or
 * a scope brace. Offsets cover the statement's own tokens, so an insertion at {@link #start()}
 * lands after any label that precedes it.
 *
 * @param kind what the statement is
 * @param tokens its tokens, terminator included
 */
record PtxStatement(Kind kind, List<PtxToken> tokens) {

    /** Statement classes inside a body. */
    enum Kind { INSTRUCTION, DIRECTIVE, LABEL, OPEN_SCOPE, CLOSE_SCOPE }

    int start() {
        return tokens.getFirst().start();
    }

    int end() {
        return tokens.getLast().end();
    }

    int line() {
        return tokens.getFirst().line();
    }

    /** The label's name, for a {@link Kind#LABEL} statement. */
    String label() {
        return tokens.getFirst().text();
    }

    /** Index of the opcode token: 0, or past a {@code @p} / {@code @!p} guard. */
    int opcodeIndex() {
        if (!tokens.getFirst().is("@")) return 0;
        return tokens.get(1).is("!") ? 3 : 2;
    }

    /** The opcode with its modifiers ({@code bra.uni}, {@code ld.param.u64}); empty for non-instructions. */
    String opcode() {
        if (kind != Kind.INSTRUCTION) return "";
        int i = opcodeIndex();
        return i < tokens.size() ? tokens.get(i).text() : "";
    }

    /** The opcode's first component ({@code bra} for {@code bra.uni}). */
    String baseOpcode() {
        String op = opcode();
        int dot = op.indexOf('.');
        return dot < 0 ? op : op.substring(0, dot);
    }

    boolean isGuarded() {
        return kind == Kind.INSTRUCTION && tokens.getFirst().is("@");
    }

    boolean isNegatedGuard() {
        return isGuarded() && tokens.get(1).is("!");
    }

    /** The guard's predicate register, for a guarded instruction. */
    String guardPredicate() {
        return tokens.get(isNegatedGuard() ? 2 : 1).text();
    }

    /** Operand tokens: after the opcode, without the terminating {@code ;}. */
    List<PtxToken> operands() {
        int from = Math.min(opcodeIndex() + 1, tokens.size());
        int to = tokens.getLast().is(";") ? tokens.size() - 1 : tokens.size();
        return tokens.subList(from, Math.max(from, to));
    }

    /** Number of comma-separated operands at bracket depth zero. */
    int operandCount() {
        List<PtxToken> ops = operands();
        if (ops.isEmpty()) return 0;
        int depth = 0;
        int count = 1;
        for (PtxToken t : ops) {
            switch (t.text()) {
                case "(", "[", "{" -> depth++;
                case ")", "]", "}" -> depth--;
                case "," -> { if (depth == 0) count++; }
                default -> { }
            }
        }
        return count;
    }
}
