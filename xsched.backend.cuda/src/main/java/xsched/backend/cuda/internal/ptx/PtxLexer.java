package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PTX text into tokens, dropping whitespace and comments. Words take PTX's identifier
 * characters plus {@code .} and {@code %}, so {@code mov.u32}, {@code %ctaid.x} and
 * {@code $L__BB0_2} are single tokens; a {@code ::} inside a word ({@code ld.shared::cta.u32}) stays
 * part of it, so that it is never mistaken for a label's colon.
 */
final class PtxLexer {
    private PtxLexer() {}

    static List<PtxToken> tokenize(String text) {
        List<PtxToken> out = new ArrayList<>();
        int n = text.length();
        int line = 1;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) throw new PtxSyntaxException("unterminated /* comment", line);
                line += count(text, i, close, '\n');
                i = close + 2;
            } else if (c == '"') {
                int j = i + 1;
                while (j < n && text.charAt(j) != '"' && text.charAt(j) != '\n') j += text.charAt(j) == '\\' ? 2 : 1;
                if (j >= n || text.charAt(j) != '"') throw new PtxSyntaxException("unterminated string", line);
                out.add(new PtxToken(PtxToken.Kind.STRING, text.substring(i, j + 1), i, j + 1, line));
                i = j + 1;
            } else if (isWordStart(c)) {
                int j = i + 1;
                while (j < n) {
                    char d = text.charAt(j);
                    if (isWordPart(d)) {
                        j++;
                    } else if (d == ':' && j + 2 < n && text.charAt(j + 1) == ':' && isWordPart(text.charAt(j + 2))) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                out.add(new PtxToken(PtxToken.Kind.WORD, text.substring(i, j), i, j, line));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '.')) j++;
                out.add(new PtxToken(PtxToken.Kind.NUMBER, text.substring(i, j), i, j, line));
                i = j;
            } else {
                out.add(new PtxToken(PtxToken.Kind.PUNCT, String.valueOf(c), i, i + 1, line));
                i++;
            }
        }
        return out;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$' || c == '%' || c == '.';
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
    }

    private static int count(String s, int from, int to, char c) {
        int k = 0;
        for (int i = from; i < to; i++) if (s.charAt(i) == c) k++;
        return k;
    }
}
