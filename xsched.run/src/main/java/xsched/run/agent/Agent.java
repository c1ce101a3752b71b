package xsched.run.agent;

import java.lang.foreign.FunctionDescriptor;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The in-application agent of {@code xsched run}: the interposer starts a JVM inside the program on
 * its first intercepted CUDA call and calls {@link #start()}, which installs a Java handler for
 * every entry point the interposer offers.
 *
 * <p>This step passes every call through to the driver; scheduling the program's streams
 * as XQueues through the node daemon comes next (ARCHITECTURE.md §6). Whatever goes wrong, the
 * program runs on natively and the agent says so once on stderr.
 */
public final class Agent {
    private Agent() {
    }

    /** Called once by the interposer (through JNI) on the program's first intercepted call. Never throws. */
    public static void start() {
        try {
            RunSettings settings = RunSettings.from(System.getenv(), ProcessHandle.current().info().command()
                    .map(c -> Path.of(c).getFileName().toString()).orElse("pid " + ProcessHandle.current().pid()));
            settings.problems().forEach(p -> System.err.println("xsched run: " + p));
            String library = System.getenv("XSCHED_INTERPOSER");
            if (library == null || library.isBlank()) {
                System.err.println("xsched run: running natively: XSCHED_INTERPOSER does not name the interposer library");
                return;
            }
            Interposer t = Interposer.at(Path.of(library));
            int entries = t.entries();
            int installed = 0;
            for (int i = 0; i < entries; i++) {
                Optional<FunctionDescriptor> signature = EntryPoints.signature(t.name(i));
                if (signature.isPresent()) {
                    t.install(i, Forwarders.forwarding(t, i, signature.get()));
                    installed++;
                }
            }
            if ("1".equals(System.getenv("XSCHED_RUN_VERBOSE"))) {
                System.err.println("xsched run: agent started in pid " + ProcessHandle.current().pid() + " ('" + settings.name()
                        + "'): " + installed + " of " + entries + " CUDA entry points pass through Java; their streams are not"
                        + " scheduled yet");
            }
        } catch (RuntimeException | LinkageError e) {
            System.err.println("xsched run: running natively: the agent failed to start: " + e);
        }
    }
}
