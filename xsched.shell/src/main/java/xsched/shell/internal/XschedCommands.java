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
 * calling session.
 */
@Component(service = XschedCommands.class, property = {
        "osgi.command.scope=xsched",
        "osgi.command.function=devices", "osgi.command.function=backends", "osgi.command.function=queues",
        "osgi.command.function=top", "osgi.command.function=policy", "osgi.command.function=hint",
        "osgi.command.function=config", "osgi.command.function=rejected"})
public final class XschedCommands {
    private final XschedReports reports;

    @Activate
    public XschedCommands(@Reference Xsched xsched) {
        reports = new XschedReports(xsched);
    }

    @Descriptor("list the devices of every bound backend")
    public void devices() {
        print(reports.devices());
    }

    @Descriptor("list the bound backends")
    public void backends() {
        print(reports.backends());
    }

    @Descriptor("list the open queues")
    public void queues() {
        print(reports.queues());
    }

    @Descriptor("refreshing view of the queues: top [refreshes (default 10)] [interval-ms (default 1000)]")
    public void top(String... args) throws InterruptedException {
        print(reports.top(args));
    }

    @Descriptor("show the active policy, or: policy list | policy set <name>")
    public void policy(String... args) {
        print(reports.policy(args));
    }

    @Descriptor("give a scheduling hint; run 'xsched:hint' alone for the syntax")
    public void hint(String... args) {
        print(reports.hint(args));
    }

    @Descriptor("configure a queue: config <queue> level <1..3> | threshold <n> | batch <n>")
    public void config(String... args) {
        print(reports.config(args));
    }

    @Descriptor("list backends and policies the runtime refused, with the reason")
    public void rejected() {
        print(reports.rejected());
    }

    private static void print(String answer) {
        if (answer != null) {
            System.out.println(answer);
        }
    }
}
