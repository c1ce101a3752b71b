package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a function body's tokens into statements. A brace opens or closes a scope only where a
 * statement starts; elsewhere it belongs to a vector operand ({@code {%r1, %r2}}). {@code .loc}
 * and {@code .file} end at the end of their line, since PTX gives them no semicolon.
 */
final class PtxBodySplitter {
    private PtxBodySplitter() {}

    static List<PtxStatement> split(List<PtxToken> tokens) {
        List<PtxStatement> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            PtxToken t = tokens.get(i);
            if (t.is("{")) {
                out.add(new PtxStatement(PtxStatement.Kind.OPEN_SCOPE, List.of(t)));
                i++;
            } else if (t.is("}")) {
                out.add(new PtxStatement(PtxStatement.Kind.CLOSE_SCOPE, List.of(t)));
                i++;
            } else if (t.isWord() && i + 1 < tokens.size() && tokens.get(i + 1).is(":")) {
                out.add(new PtxStatement(PtxStatement.Kind.LABEL, List.of(t, tokens.get(i + 1))));
                i += 2;
            } else if (t.is(".loc") || t.is(".file")) {
                int j = i + 1;
                while (j < tokens.size() && tokens.get(j).line() == t.line()) j++;
                out.add(new PtxStatement(PtxStatement.Kind.DIRECTIVE, List.copyOf(tokens.subList(i, j))));
                i = j;
            } else {
                int j = i;
                while (j < tokens.size() && !tokens.get(j).is(";")) j++;
                if (j >= tokens.size()) throw new PtxSyntaxException("statement without ';'", t.line());
                PtxStatement.Kind kind = t.text().startsWith(".") ? PtxStatement.Kind.DIRECTIVE
                        : PtxStatement.Kind.INSTRUCTION;
                out.add(new PtxStatement(kind, List.copyOf(tokens.subList(i, j + 1))));
                i = j + 1;
            }
        }
        return out;
    }
}
