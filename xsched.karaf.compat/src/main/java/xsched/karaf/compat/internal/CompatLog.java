package xsched.karaf.compat.internal;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Where this bundle reports. At start level 1 there is no logging service yet, and Karaf's
 * pax-logging does not capture {@link System.Logger}, so warnings also go to
 * {@link System#err}, where someone starting Karaf sees them.
 */
final class CompatLog {
    private static final String PREFIX = "xsched compat: ";

    private final Logger logger;
    private final PrintStream err;

    CompatLog(Logger logger, PrintStream err) {
        this.logger = logger;
        this.err = err;
    }

    /** The log of the running bundle. */
    static CompatLog system() {
        return new CompatLog(System.getLogger("xsched.karaf.compat"), System.err);
    }

    void debug(String message) {
        logger.log(Level.DEBUG, PREFIX + message);
    }

    void info(String message) {
        logger.log(Level.INFO, PREFIX + message);
    }

    /** A warning loud enough to be seen before any logging is set up. */
    void warn(String message) {
        logger.log(Level.WARNING, PREFIX + message);
        err.println("*** " + PREFIX + "WARNING: " + message);
    }

    /** A loud warning with the exception that caused it. */
    void warn(String message, Throwable cause) {
        logger.log(Level.WARNING, PREFIX + message, cause);
        err.println("*** " + PREFIX + "WARNING: " + message + ": " + cause);
    }
}
