package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A PTX module split just far enough for the guardian: its {@code .version} and {@code .target},
 * the functions with bodies, and the tokens outside them. Function bodies are split into
 * statements; nothing else is interpreted.
 *
 * @param text the module text, unchanged
 * @param versionMajor major of {@code .version}, or 0 when absent
 * @param versionMinor minor of {@code .version}
 * @param smTarget the number of the first {@code sm_NN} target, or 0 when absent
 * @param functions {@code .entry} and {@code .func} definitions in source order (declarations
 *        without a body are skipped)
 * @param outsideTokens tokens that belong to no function definition
 */
record PtxModule(String text, int versionMajor, int versionMinor, int smTarget, List<PtxFunction> functions,
        List<PtxToken> outsideTokens) {

    private static final Set<String> LINKAGE = Set.of(".visible", ".weak", ".extern", ".common");

    static PtxModule parse(String text) {
        List<PtxToken> tokens = PtxLexer.tokenize(text);
        List<PtxFunction> functions = new ArrayList<>();
        List<PtxToken> outside = new ArrayList<>();
        int major = 0;
        int minor = 0;
        int sm = 0;
        int i = 0;
        while (i < tokens.size()) {
            PtxToken t = tokens.get(i);
            if (t.is(".version") && i + 1 < tokens.size()) {
                String[] v = tokens.get(i + 1).text().split("\\.");
                major = parseInt(v[0]);
                minor = v.length > 1 ? parseInt(v[1]) : 0;
            } else if (t.is(".target") && i + 1 < tokens.size() && tokens.get(i + 1).text().startsWith("sm_")) {
                sm = parseInt(tokens.get(i + 1).text().substring(3).replaceAll("[^0-9].*", ""));
            }
            if (t.is(".entry") || t.is(".func")) {
                int declStart = i;
                while (declStart > 0 && LINKAGE.contains(tokens.get(declStart - 1).text())) declStart--;
                int[] next = new int[1];
                PtxFunction f = parseFunction(tokens, i, declStart, next);
                for (int k = outside.size() - 1; k >= 0 && outside.get(k).start() >= tokens.get(declStart).start(); k--) {
                    outside.remove(k);
                }
                if (f != null) {
                    functions.add(f);
                } else {
                    outside.addAll(tokens.subList(declStart, next[0]));
                }
                i = next[0];
                continue;
            }
            outside.add(t);
            i++;
        }
        return new PtxModule(text, major, minor, sm, List.copyOf(functions), List.copyOf(outside));
    }

    /** Parses from the keyword at {@code i}; returns null for a declaration without a body. */
    private static PtxFunction parseFunction(List<PtxToken> tokens, int i, int declStart, int[] next) {
        PtxToken keyword = tokens.get(i);
        boolean entry = keyword.is(".entry");
        int p = i + 1;
        if (!entry && p < tokens.size() && tokens.get(p).is("(")) p = matching(tokens, p, "(", ")") + 1;
        if (p >= tokens.size() || !tokens.get(p).isWord()) {
            throw new PtxSyntaxException(keyword.text() + " without a name", keyword.line());
        }
        PtxToken name = tokens.get(p++);
        PtxToken open = null;
        PtxToken close = null;
        List<List<PtxToken>> params = new ArrayList<>();
        if (p < tokens.size() && tokens.get(p).is("(")) {
            int c = matching(tokens, p, "(", ")");
            open = tokens.get(p);
            close = tokens.get(c);
            List<PtxToken> current = new ArrayList<>();
            for (int k = p + 1; k < c; k++) {
                if (tokens.get(k).is(",")) {
                    params.add(List.copyOf(current));
                    current.clear();
                } else {
                    current.add(tokens.get(k));
                }
            }
            if (!current.isEmpty()) params.add(List.copyOf(current));
            p = c + 1;
        }
        int d = p;
        while (d < tokens.size() && !tokens.get(d).is("{") && !tokens.get(d).is(";")) d++;
        if (d >= tokens.size()) throw new PtxSyntaxException(name.text() + ": no body and no ';'", name.line());
        List<PtxToken> directives = List.copyOf(tokens.subList(p, d));
        if (tokens.get(d).is(";")) {
            next[0] = d + 1;
            return null;
        }
        int bodyClose = matching(tokens, d, "{", "}");
        next[0] = bodyClose + 1;
        return new PtxFunction(entry, name.text(), tokens.get(declStart).start(), tokens.get(bodyClose).end(), name,
                List.copyOf(params), open, close, directives, tokens.get(d),
                PtxBodySplitter.split(tokens.subList(d + 1, bodyClose)));
    }

    private static int matching(List<PtxToken> tokens, int openIndex, String open, String close) {
        int depth = 0;
        for (int k = openIndex; k < tokens.size(); k++) {
            if (tokens.get(k).is(open)) depth++;
            else if (tokens.get(k).is(close) && --depth == 0) return k;
        }
        throw new PtxSyntaxException("no '" + close + "' for this '" + open + "'", tokens.get(openIndex).line());
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
