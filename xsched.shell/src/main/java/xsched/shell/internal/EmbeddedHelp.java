package xsched.shell.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code help} in the embedded runtime's Felix Gogo shell: the shell's own {@code felix:help},
 * followed by where the xsched commands are listed.
 *
 * <p>Why it exists: a bare command name that the gosh profile's {@code SCOPE=gogo:*} does not find
 * in scope {@code gogo} goes to the first scope of the command table that has it, in hash order.
 * With {@code xsched:help} registered, a bare {@code help} may find it instead of
 * {@code felix:help}, and {@code help lb} would then fail. A {@code gogo:help} is always found
 * first. Like {@link EmbeddedExit} it needs the bnd launcher's service, so Karaf, whose own
 * {@code help} is unaffected by {@code xsched:help}, never sees it.
 */
@Component(service = EmbeddedHelp.class,
        property = {"osgi.command.scope=gogo", "osgi.command.function=help"},
        reference = @Reference(name = "launcher", service = Object.class, target = "(objectClass=aQute.launcher.Launcher)"))
public final class EmbeddedHelp {
    static final String SHELL_HELP = "felix:help";
    static final String XSCHED_HINT = "xsched:help lists the xsched commands with their syntax.";

    @Descriptor("list every command, or describe one (felix:help); xsched:help lists the xsched commands")
    public Object help(CommandSession session, @Descriptor("[command]") String... args) throws Exception {
        if (!(session.get(SHELL_HELP) instanceof Function shellHelp)) {
            return XSCHED_HINT;
        }
        Object answer = shellHelp.execute(session, List.copyOf(Arrays.asList(args)));
        return args.length == 0 ? answer + "\n\n" + XSCHED_HINT : answer;
    }
}
