package xsched.shell.internal;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import xsched.api.Xsched;

/**
 * Gogo commands in scope {@code xsched}, for Felix Gogo and the Karaf console. They print their
 * answer rather than return it: Karaf prints nothing a command returns when it runs through
 * {@code ssh host command} (an exec channel), and both shells route {@code System.out} to the
 * calling session. Every command is a public method with a {@link Descriptor}, which
 * {@code xsched:help} lists ({@link CommandHelp}); the parameter's descriptor is its syntax.
 */
@Component(service = XschedCommands.class, property = {
        "osgi.command.scope=" + XschedCommands.SCOPE,
        "osgi.command.function=devices", "osgi.command.function=backends", "osgi.command.function=queues",
        "osgi.command.function=top", "osgi.command.function=policy", "osgi.command.function=hint",
        "osgi.command.function=config", "osgi.command.function=rejected", "osgi.command.function=help"})
public final class XschedCommands {
    static final String SCOPE = "xsched";

    private final XschedReports reports;

    @Activate
    public XschedCommands(@Reference Xsched xsched) {
        reports = new XschedReports(xsched);
    }

    @Descriptor("list the devices of every bound backend: id, platform, kind, highest preempt level, name")
    public void devices() {
        print(reports.devices());
    }

    @Descriptor("list the bound backends: platform, device count, bundle, version")
    public void backends() {
        print(reports.backends());
    }

    @Descriptor("list the open queues: process, device, state, level, launch settings, priority, progress; then why any is blocked or failed")
    public void queues() {
        print(reports.queues());
    }

    @Descriptor("the queues, refreshed every interval; redrawn in place on a terminal, printed one after another elsewhere")
    public void top(@Descriptor(XschedReports.TOP_SYNTAX) String... args)
            throws InterruptedException {
        print(reports.top(TopScreen.of(System.out), args));
    }

    @Descriptor("show the active and installed policies; 'list' marks the active one; 'set' makes another active")
    public void policy(@Descriptor(XschedReports.POLICY_SYNTAX) String... args) {
        print(reports.policy(args));
    }

    @Descriptor("give a scheduling hint to a queue, every queue of a process, or the scheduler; 'xsched:hint' alone lists the kinds")
    public void hint(@Descriptor(HintCommand.SYNTAX) String... args) {
        print(reports.hint(args));
    }

    @Descriptor("set a queue's preempt level, or its progressive-launch threshold or batch size")
    public void config(@Descriptor(XschedReports.CONFIG_SYNTAX) String... args) {
        print(reports.config(args));
    }

    @Descriptor("list backends and policies the runtime refused, with the reason")
    public void rejected() {
        print(reports.rejected());
    }

    @Descriptor("list the xsched commands with their syntax and what they do")
    public void help() {
        print(CommandHelp.text(XschedCommands.class, SCOPE));
    }

    /** Prints an answer to the session; its parts are escaped, and this escapes whatever was missed. */
    private static void print(String answer) {
        if (answer != null) {
            System.out.println(TerminalText.escapeKeepingLines(answer));
        }
    }
}
