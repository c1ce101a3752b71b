package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/** xsched:help lists exactly the registered commands, each with its syntax and description. */
class CommandHelpTest {
    @Test
    void everyRegisteredFunctionIsACommandWithADescriptorAndViceVersa() throws IOException {
        List<String> registered = registeredFunctions();
        List<String> described = Arrays.stream(XschedCommands.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .peek(m -> assertThat(m.getAnnotation(Descriptor.class)).as("@Descriptor of " + m.getName()).isNotNull())
                .map(Method::getName)
                .toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(described).contains("help");
        assertThat(CommandHelp.entries(XschedCommands.class, "xsched")).extracting(CommandHelp.Entry::name)
                .containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void listsEachCommandWithItsOneLineSyntaxAndDescription() {
        String help = CommandHelp.text(XschedCommands.class, "xsched");
        assertThat(help.lines().findFirst()).hasValue("xsched commands ('help xsched:<command>' describes one):");
        assertThat(help).contains("\n  xsched:devices\n      list the devices of every bound backend")
                .contains("\n  xsched:top " + XschedReports.TOP_SYNTAX + "\n      the queues, refreshed every interval")
                .contains("\n  xsched:hint " + HintCommand.SYNTAX + "\n")
                .contains("\n  xsched:config " + XschedReports.CONFIG_SYNTAX + "\n")
                .contains("\n  xsched:policy " + XschedReports.POLICY_SYNTAX + "\n")
                .contains("\n  xsched:rejected\n", "\n  xsched:help\n", "\n  xsched:queues\n", "\n  xsched:backends\n");
        for (CommandHelp.Entry e : CommandHelp.entries(XschedCommands.class, "xsched")) {
            assertThat(e.description()).as(e.name()).isNotBlank();
            assertThat(e.syntax()).as(e.name()).startsWith("xsched:" + e.name()).doesNotContain("\n");
        }
    }

    @Test
    void usageMessagesRepeatTheSyntaxTheHelpShows() {
        assertThat(XschedReports.TOP_USAGE).isEqualTo("usage: xsched:top " + XschedReports.TOP_SYNTAX)
                .contains(String.valueOf(XschedReports.TOP_MIN_INTERVAL_MS));
        assertThat(XschedReports.CONFIG_USAGE).isEqualTo("usage: xsched:config " + XschedReports.CONFIG_SYNTAX);
        assertThat(HintCommand.USAGE).startsWith("usage: xsched:hint " + HintCommand.SYNTAX + "\n");
    }

    /** The osgi.command.function values of the component description bnd generated from XschedCommands. */
    private static List<String> registeredFunctions() throws IOException {
        try (InputStream in = CommandHelpTest.class.getResourceAsStream("/OSGI-INF/xsched.shell.internal.XschedCommands.xml")) {
            assertThat(in).as("the component description bnd writes into target/classes").isNotNull();
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("name=\"osgi.command.function\" type=\"String\">([^<]*)<").matcher(xml);
            assertThat(m.find()).as(xml).isTrue();
            return m.group(1).strip().lines().map(String::strip).toList();
        }
    }
}
