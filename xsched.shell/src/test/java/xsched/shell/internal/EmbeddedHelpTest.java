package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.junit.jupiter.api.Test;

/** The embedded shell's bare {@code help} stays the shell's own help, and says where the xsched commands are. */
class EmbeddedHelpTest {
    private final List<List<Object>> calls = new ArrayList<>();
    private final Function felixHelp = (session, arguments) -> {
        calls.add(arguments);
        return arguments.isEmpty() ? "felix:help\nfelix:lb\nxsched:help" : "lb - list all installed bundles";
    };

    @Test
    void bareHelpListsEveryCommandThenPointsToXschedHelp() throws Exception {
        Object answer = new EmbeddedHelp().help(session(Map.of(EmbeddedHelp.SHELL_HELP, felixHelp)));
        assertThat(answer).isEqualTo("felix:help\nfelix:lb\nxsched:help\n\n" + EmbeddedHelp.XSCHED_HINT);
        assertThat(calls).containsExactly(List.of());
    }

    @Test
    void helpWithACommandIsTheShellsHelpForIt() throws Exception {
        Object answer = new EmbeddedHelp().help(session(Map.of(EmbeddedHelp.SHELL_HELP, felixHelp)), "lb");
        assertThat(answer).isEqualTo("lb - list all installed bundles");
        assertThat(calls).containsExactly(List.of("lb"));
    }

    @Test
    void withoutTheShellsHelpItStillPointsToXschedHelp() throws Exception {
        assertThat(new EmbeddedHelp().help(session(Map.of()))).isEqualTo(EmbeddedHelp.XSCHED_HINT);
    }

    /** A session that only answers {@code get}, from {@code values}. */
    private static CommandSession session(Map<String, Object> values) {
        return (CommandSession) Proxy.newProxyInstance(EmbeddedHelpTest.class.getClassLoader(), new Class<?>[] {CommandSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return values.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
