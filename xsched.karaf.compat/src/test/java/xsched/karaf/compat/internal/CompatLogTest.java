package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatLogTest {
    @TempDir
    Path karafData;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Recorder logger = new Recorder();

    private CompatLog logInto(Path file) {
        return new CompatLog(logger, new PrintStream(err, true, StandardCharsets.UTF_8), file);
    }

    @Test
    void fileIsUnderKarafDataLog() {
        assertThat(CompatLog.fileUnder("/opt/karaf/data")).isEqualTo(Path.of("/opt/karaf/data", "log", "xsched-compat.log"));
        assertThat(CompatLog.fileUnder(null)).isNull();
        assertThat(CompatLog.fileUnder(" ")).isNull();
    }

    @Test
    void infoAndWarningsAreAppendedWithIsoTimestampsButNotDebug() throws IOException {
        Path file = CompatLog.fileUnder(karafData.toString());
        CompatLog log = logInto(file);

        log.info("active");
        log.debug("wove something");
        log.warn("expected class X was not found");
        log.warn("could not weave Y", new IllegalArgumentException("bad class"));
        logInto(file).info("stopped; no class woven");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.getFirst()).endsWith(" INFO xsched compat: active");
        assertThat(lines).filteredOn(l -> l.contains(" xsched compat: "))
                .extracting(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactly("INFO xsched compat: active",
                        "WARNING xsched compat: expected class X was not found",
                        "WARNING xsched compat: could not weave Y",
                        "INFO xsched compat: stopped; no class woven");
        assertThat(lines).contains("java.lang.IllegalArgumentException: bad class");
        assertThat(lines).noneMatch(l -> l.contains("wove something"));
        for (String line : lines.stream().filter(l -> l.contains(" xsched compat: ")).toList()) {
            assertThatCode(() -> OffsetDateTime.parse(line.substring(0, line.indexOf(' '))))
                    .as(line).doesNotThrowAnyException();
        }
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("*** xsched compat: WARNING: expected class X was not found",
                        "*** xsched compat: WARNING: could not weave Y: java.lang.IllegalArgumentException: bad class");
        assertThat(logger.messages).containsExactly("INFO xsched compat: active",
                "DEBUG xsched compat: wove something", "WARNING xsched compat: expected class X was not found",
                "WARNING xsched compat: could not weave Y", "INFO xsched compat: stopped; no class woven");
    }

    @Test
    void unwritableFileFallsBackSilentlyToStderr() throws IOException {
        Path notADirectory = Files.writeString(karafData.resolve("log"), "a file where the directory should be");
        CompatLog log = logInto(notADirectory.resolve("xsched-compat.log"));

        assertThatCode(() -> {
            log.info("active");
            log.warn("still loud");
            log.warn("with cause", new IllegalStateException("x"));
        }).doesNotThrowAnyException();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("*** xsched compat: WARNING: still loud",
                "*** xsched compat: WARNING: with cause");
        assertThat(Files.readString(notADirectory)).isEqualTo("a file where the directory should be");
    }

    @Test
    void withoutKarafDataNothingIsWritten() {
        CompatLog log = logInto(null);

        log.info("active");
        log.warn("loud");

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARNING: loud");
        assertThat(karafData).isEmptyDirectory();
    }

    /** Records what reaches the System.Logger. */
    private static final class Recorder implements System.Logger {
        final List<String> messages = new ArrayList<>();

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            messages.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(level + " " + format);
        }
    }
}
