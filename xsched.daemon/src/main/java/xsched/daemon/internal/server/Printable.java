package xsched.daemon.internal.server;

/** Text from a client made safe to print on a terminal: control and format characters escaped. */
final class Printable {
    private Printable() {
    }

    /**
     * @param text     a message
     * @param maxBytes the most UTF-8 bytes allowed
     * @return the message, cut at a code point with "…" when its UTF-8 form is longer
     */
    static String clip(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        int budget = maxBytes - 3;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + size > budget) {
                return out.append('…').toString();
            }
            out.appendCodePoint(c);
            bytes += size;
            i += Character.charCount(c);
        }
        return out.toString();
    }

    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '\\') {
                out.append(c == '\\' ? "\\\\" : c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
