package xsched.karaf.compat.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where this bundle reports. At start level 1 there is no logging service yet, and Karaf's
 * pax-logging does not capture {@link System.Logger}, so warnings also go to
 * {@link System#err}, where someone starting Karaf in the foreground sees them. As
 * {@code bin/start} sends stdout and stderr to {@code /dev/null}, every INFO and WARNING
 * line (not DEBUG) is also appended, with an ISO timestamp, to
 * {@code ${karaf.data}/log/xsched-compat.log} when {@code karaf.data} is set. Writing that
 * file never fails the caller: if it cannot be written, the line is only logged as before.
 */
final class CompatLog {
    private static final String PREFIX = "xsched compat: ";
    /** The file name under {@code ${karaf.data}/log}. */
    static final String FILE_NAME = "xsched-compat.log";
    /** ISO 8601 local time with offset, fixed width. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Logger logger;
    private final PrintStream err;
    private final Path file;

    /**
     * @param file the file INFO and WARNING lines are appended to, or {@code null} for none
     */
    CompatLog(Logger logger, PrintStream err, Path file) {
        this.logger = logger;
        this.err = err;
        this.file = file;
    }

    /** The log of the running bundle. */
    static CompatLog system() {
        return new CompatLog(System.getLogger("xsched.karaf.compat"), System.err, fileUnder(System.getProperty("karaf.data")));
    }

    /** {@code <karafData>/log/xsched-compat.log}, or {@code null} if there is no usable data directory. */
    static Path fileUnder(String karafData) {
        if (karafData == null || karafData.isBlank()) {
            return null;
        }
        try {
            return Path.of(karafData, "log", FILE_NAME);
        } catch (RuntimeException e) {
            return null;
        }
    }

    void debug(String message) {
        logger.log(Level.DEBUG, PREFIX + message);
    }

    void info(String message) {
        logger.log(Level.INFO, PREFIX + message);
        append("INFO", message, null);
    }

    /** A warning loud enough to be seen before any logging is set up. */
    void warn(String message) {
        logger.log(Level.WARNING, PREFIX + message);
        err.println("*** " + PREFIX + "WARNING: " + message);
        append("WARNING", message, null);
    }

    /** A loud warning with the exception that caused it. */
    void warn(String message, Throwable cause) {
        logger.log(Level.WARNING, PREFIX + message, cause);
        err.println("*** " + PREFIX + "WARNING: " + message + ": " + cause);
        append("WARNING", message, cause);
    }

    /** Appends one line (and the stack trace, if any) to the file; silently does nothing if it cannot. */
    private synchronized void append(String level, String message, Throwable cause) {
        if (file == null) {
            return;
        }
        try {
            StringWriter line = new StringWriter();
            line.append(TIMESTAMP.format(ZonedDateTime.now())).append(' ').append(level).append(' ')
                    .append(PREFIX).append(message).append(System.lineSeparator());
            if (cause != null) {
                cause.printStackTrace(new PrintWriter(line));
            }
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, line.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (Exception e) {
            // the file is a convenience: the logger and stderr still have the line
        }
    }
}
