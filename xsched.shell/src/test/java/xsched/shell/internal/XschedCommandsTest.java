package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/** The commands print their answers (Karaf's ssh exec channel prints nothing a command returns). */
class XschedCommandsTest {
    @Test
    void commandsPrintTheirAnswerToTheSessionsOutput() {
        HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
        EmbeddedXsched runtime = EmbeddedXsched.builder().backend(host).policy("hpf", new HighestPriorityFirst()).build();
        PrintStream stdout = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XschedCommands commands = new XschedCommands(runtime);
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            commands.backends();
            commands.policy();
            commands.config("nonsense");
            commands.help();
        } finally {
            System.setOut(stdout);
            runtime.close();
            host.close();
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("PLATFORM", "host")
                .contains("active policy: hpf")
                .contains("usage: xsched:config")
                .contains("xsched commands", "xsched:top [refreshes", "xsched:help");
    }
}
