package xsched.daemon.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes over {@code System.err}, where slf4j-simple writes, while a test floods the daemon: the
 * daemon logs every connection and every refusal, which would bury the build's output. Counts the
 * lines by level and keeps every ERROR line with what follows it (a stack trace), so that a test
 * can assert that the daemon never logged an error. Restores {@code System.err} on close.
 */
final class LogCapture implements AutoCloseable {
    private static final int KEPT = 200;

    private final PrintStream original = System.err;
    private final List<String> errors = new ArrayList<>();
    private final java.util.ArrayDeque<String> warnings = new java.util.ArrayDeque<>();
    private long lines;
    private long warningCount;
    private boolean inError;

    private LogCapture() {
    }

    static LogCapture start() {
        LogCapture capture = new LogCapture();
        System.setErr(new PrintStream(capture.new Lines(), true, StandardCharsets.UTF_8));
        return capture;
    }

    private synchronized void line(String line) {
        lines++;
        if (line.contains("] WARN ")) {
            warningCount++;
            if (warnings.size() == 20) {
                warnings.removeFirst();
            }
            warnings.addLast(line);
        }
        // slf4j-simple starts every record with "[thread]": anything else after an ERROR record is its stack trace
        boolean continuation = !line.startsWith("[");
        if (line.contains("] ERROR ") || inError && continuation || line.startsWith("Exception in thread")) {
            inError = true;
            if (errors.size() < KEPT) {
                errors.add(line);
            }
        } else {
            inError = false;
        }
    }

    /** @return every ERROR line logged while capturing, with its stack trace (the first {@value #KEPT} lines) */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** @return the last 20 WARN lines */
    synchronized List<String> lastWarnings() {
        return List.copyOf(warnings);
    }

    /** @return a line of counts */
    synchronized String summary() {
        return lines + " log lines (" + warningCount + " WARN, " + errors.size() + " ERROR lines kept)";
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }

    /** Splits what is written into lines. */
    private final class Lines extends OutputStream {
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                line(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else if (current.size() < 64 * 1024) {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
