package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.dto.BackendDTO;
import xsched.api.dto.DeviceDTO;
import xsched.api.dto.QueueDTO;
import xsched.api.dto.RejectedDTO;
import xsched.api.dto.RuntimeDTO;

/**
 * Names and reasons come from applications and plug-ins: every command prints them escaped, so
 * none can repaint, retitle or reorder the operator's terminal.
 */
class UntrustedTextTest {
    /** Clear screen, set the window title, start a C1 CSI, reverse the line (U+202E), isolate (U+2066), break the line. */
    private static final String EVIL = "x\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202eevil\u2066\r\nfake";
    private static final String EVIL_ESCAPED = "x\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eevil\\u2066\\r\\nfake";

    private XschedReports reports;

    @BeforeEach
    void runtimeFullOfHostileNames() {
        RuntimeDTO dto = new RuntimeDTO();
        dto.pid = 1;
        dto.activePolicy = EVIL;
        dto.policies = List.of(EVIL, "hpf");

        BackendDTO b = new BackendDTO();
        b.platform = EVIL;
        b.bundle = EVIL;
        b.version = EVIL;
        dto.backends = List.of(b);

        DeviceDTO d = new DeviceDTO();
        d.id = EVIL;
        d.platform = EVIL;
        d.kind = EVIL;
        d.name = EVIL;
        d.maxLevel = 1;
        dto.devices = List.of(d);

        QueueDTO q = new QueueDTO();
        q.id = 7;
        q.name = EVIL;
        q.device = EVIL;
        q.state = "READY";
        q.status = EVIL;
        q.blockedReason = EVIL;
        q.stopsAt = EVIL;
        q.levelNote = EVIL;
        dto.queues = List.of(q);

        RejectedDTO r = new RejectedDTO();
        r.type = "policy";
        r.name = EVIL;
        r.bundle = EVIL;
        r.reason = EVIL;
        dto.rejected = List.of(r);

        reports = new XschedReports(new SnapshotXsched(dto));
    }

    @Test
    void everyReportEscapesNamesAndReasons() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        reports.top(new TopScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), false), "1");
        for (String answer : List.of(reports.devices(), reports.backends(), reports.queues(), reports.rejected(), reports.policy(),
                reports.policy("list"), reports.policy("set", EVIL), bytes.toString(StandardCharsets.UTF_8))) {
            assertHarmless(answer);
            assertThat(answer).contains(EVIL_ESCAPED);
        }
        assertThat(reports.queues()).contains("queue 7 " + EVIL_ESCAPED + ": " + EVIL_ESCAPED);
    }

    @Test
    void echoedArgumentsAreEscaped() throws InterruptedException {
        TopScreen screen = new TopScreen(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        for (String answer : List.of(reports.hint("pid:1", EVIL, "1"), reports.hint(EVIL, "priority", "1"),
                reports.hint("pid:1", "priority", EVIL), reports.hint("pid:1", "deadline", EVIL), reports.config(EVIL, "level", "1"), reports.top(screen, EVIL), reports.top(screen, "1", EVIL))) {
            assertHarmless(answer);
            assertThat(answer).contains("\\x1b[2").contains("\\u202e");
        }
    }

    @Test
    void tablesKeepOneLinePerRow() {
        assertThat(reports.devices()).hasLineCount(2);
        assertThat(reports.backends()).hasLineCount(2);
        assertThat(reports.rejected()).hasLineCount(2);
        assertThat(reports.queues()).hasLineCount(4); // header, the queue, why it is blocked, what caps its level
    }

    private static void assertHarmless(String answer) {
        assertThat(answer.codePoints().filter(cp -> cp != '\n' && !TerminalText.isPrintable(cp)).toArray())
                .as("unescaped control or format characters in:%n%s", answer).isEmpty();
    }
}
