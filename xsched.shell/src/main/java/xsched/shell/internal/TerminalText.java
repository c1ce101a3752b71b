package xsched.shell.internal;

/**
 * Text that came from users or plug-ins (queue, backend, device and policy names, reasons, echoed
 * arguments), made safe to print on an operator's terminal. Code points a terminal would act on
 * rather than show are written as escapes: C0 and C1 controls and DEL (ESC prints as
 * backslash-x1b, a line feed as backslash-n), format characters such as the bidi overrides and
 * isolates U+202A…U+202E and U+2066…U+2069 (backslash-u202e) and zero-width characters, line
 * and paragraph separators, lone surrogates and unassigned code points. A queue named ESC [2J
 * therefore cannot clear the screen, and one holding U+202E cannot make a line read backwards.
 */
final class TerminalText {
    private TerminalText() {
    }

    /**
     * Escapes one value (a table cell, a name, a reason) for printing. Backslashes are doubled,
     * so an escape in the output always stands for an escaped character.
     *
     * @param text the value, or null
     * @return the printable text; empty for null
     */
    static String escape(String text) {
        return escape(text, false);
    }

    /**
     * Escapes a whole answer whose parts were escaped already, keeping its line breaks: the last
     * guard before printing. Backslashes are left alone so that escapes made earlier survive.
     *
     * @param text the answer, or null
     * @return the printable text; empty for null
     */
    static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    /** @return whether a terminal shows {@code codePoint} as a glyph or a space, rather than acting on it */
    static boolean isPrintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n' && keepLines) {
                out.append('\n');
            } else if (cp == '\\' && !keepLines) {
                out.append("\\\\");
            } else if (isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(escapeOf(cp));
            }
        });
        return out.toString();
    }

    private static String escapeOf(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> cp <= 0xff ? String.format("\\x%02x", cp)
                    : cp <= 0xffff ? String.format("\\u%04x", cp)
                    : String.format("\\U%08x", cp);
        };
    }
}
