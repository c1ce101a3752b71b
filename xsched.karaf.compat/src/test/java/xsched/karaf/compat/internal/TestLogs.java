package xsched.karaf.compat.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ResourceBundle;

/** A {@link CompatLog} whose loud warnings land in a buffer and whose logger stays quiet. */
final class TestLogs {
    private TestLogs() {
    }

    static CompatLog into(ByteArrayOutputStream err) {
        return new CompatLog(new Quiet(), new PrintStream(err, true, StandardCharsets.UTF_8), null);
    }

    private static final class Quiet implements System.Logger {
        @Override
        public String getName() {
            return "quiet";
        }

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    }
}
