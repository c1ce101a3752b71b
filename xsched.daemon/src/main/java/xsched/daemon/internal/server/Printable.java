package xsched.daemon.internal.server;

/** Text from a client made safe to print on a terminal: control and format characters escaped. */
final class Printable {
    private Printable() {
    }

    static String of(String text) {
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
