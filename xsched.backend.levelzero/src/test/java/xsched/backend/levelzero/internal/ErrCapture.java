package xsched.backend.levelzero.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** Captures what slf4j-simple (which writes to {@code System.err}) logs while an action runs. */
public final class ErrCapture {
    private ErrCapture() {
    }

    /** @return the lines written to {@code System.err} while {@code action} ran; they are also passed on */
    public static List<String> lines(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().toList();
    }

    /** @return how many of {@code lines} contain {@code text} */
    public static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** Convenience for a supplier. */
    public static <T> List<String> lines(Supplier<T> action) {
        return lines((Runnable) action::get);
    }
}
