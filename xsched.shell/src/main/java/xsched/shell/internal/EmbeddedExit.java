package xsched.shell.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code exit [status]} in the embedded runtime ({@code java -jar xsched.jar}: Felix and the Felix
 * Gogo shell under the bnd launcher): stops the framework cleanly and ends the process with the
 * status, 0 by default. Without it, a bare {@code exit} there finds {@code system:exit}, which
 * the gosh profile makes of {@code System.exit(int)}: it fails without an argument, and with one
 * ends the JVM without stopping a bundle.
 *
 * <p>How: the bnd launcher calls a service registered as {@link Callable} with
 * {@code main.thread=true} on its main thread; when the call returns a status, the launcher stops
 * the framework, waits until it has stopped and exits with that status. {@link #call()} waits for
 * {@code exit}; the command returns at once, and the shell goes on reading until the stopping
 * framework stops it. (When the framework stops any other way, e.g. at the end of gosh's input,
 * the launcher exits with 117, its "framework stopped", as before.)
 *
 * <p>Where: the component requires the bnd launcher's own service, so it is active only in the
 * embedded runtime; in Karaf it stays unsatisfied and Karaf's {@code exit}, {@code logout} and
 * {@code shell:exit} are untouched. The function is in scope {@code gogo}, which the Felix gosh
 * profile searches first ({@code SCOPE=gogo:*}), so a bare {@code exit} finds it rather than
 * {@code system:exit}, whatever order the other scopes come in.
 */
@Component(service = Callable.class,
        property = {"main.thread=true", "osgi.command.scope=gogo", "osgi.command.function=exit"},
        reference = @Reference(name = "launcher", service = Object.class, target = "(objectClass=aQute.launcher.Launcher)"))
public final class EmbeddedExit implements Callable<Integer> {
    /** bnd's {@code LauncherConstants.RELISTEN_FOR_MAIN_CALLABLE}: no status; wait for another main callable. */
    static final int RELISTEN = 198;
    /**
     * The highest status {@code exit} takes: the shell convention (126 and up mean "not run" and
     * signals), which also keeps clear of bnd's 197 and 198 that would not end the process.
     */
    static final int MAX_STATUS = 125;
    static final String USAGE = "usage: exit [status 0…" + MAX_STATUS + ", default 0]";

    private final CompletableFuture<Integer> status = new CompletableFuture<>();

    /** Called by the bnd launcher on its main thread: waits for {@code exit} and returns its status. */
    @Override
    public Integer call() throws InterruptedException {
        try {
            return status.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Descriptor("stop the framework cleanly and end the process with the status (embedded runtime only)")
    public void exit(@Descriptor("[status 0…" + MAX_STATUS + ", default 0]") String... args) {
        int code;
        try {
            if (args.length > 1) {
                throw new IllegalArgumentException("too many arguments");
            }
            code = args.length == 0 ? 0 : Arguments.intValue(args[0], "exit status", 0, MAX_STATUS);
        } catch (IllegalArgumentException e) {
            System.out.println(TerminalText.escape(e.getMessage()) + "\n" + USAGE);
            return;
        }
        System.out.println("stopping the framework; exit status " + code);
        System.out.flush();
        status.complete(code);
    }

    /** @return whether {@code exit} has given the launcher a status */
    boolean exitRequested() {
        return status.isDone() && status.getNow(RELISTEN) != RELISTEN;
    }

    /**
     * Gives the launcher no status when the component goes away without {@code exit} (bundle
     * stopped or refreshed, or the framework stopping for another reason): it waits for another
     * main callable instead of exiting.
     */
    @Deactivate
    void deactivate() {
        status.complete(RELISTEN);
    }
}
