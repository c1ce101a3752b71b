package xsched.run.agent;

import java.lang.foreign.FunctionDescriptor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-application agent of {@code xsched run}: the interposer starts a JVM inside the program on
 * its first intercepted CUDA call and calls {@link #start()}, which installs a Java handler for
 * every entry point the interposer offers.
 *
 * <p>This step passes every call through to the driver, counted; scheduling the program's streams
 * as XQueues through the node daemon comes next (ARCHITECTURE.md §6). Whatever goes wrong, the
 * program runs on natively and the agent says so once on stderr.
 */
public final class Agent {
    private static volatile AtomicLongArray calls;
    private static volatile Interposer table;

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
            AtomicLongArray counts = new AtomicLongArray(entries);
            int installed = 0;
            for (int i = 0; i < entries; i++) {
                Optional<FunctionDescriptor> signature = EntryPoints.signature(t.name(i));
                if (signature.isPresent()) {
                    t.install(i, Forwarders.counting(t, i, signature.get(), counts));
                    installed++;
                }
            }
            calls = counts;
            table = t;
            if ("1".equals(System.getenv("XSCHED_RUN_VERBOSE"))) {
                System.err.println("xsched run: agent started in pid " + ProcessHandle.current().pid() + " ('" + settings.name()
                        + "'): " + installed + " of " + entries + " CUDA entry points pass through Java; their streams are not"
                        + " scheduled yet");
            }
        } catch (RuntimeException | LinkageError e) {
            System.err.println("xsched run: running natively: the agent failed to start: " + e);
        }
    }

    /**
     * @param name an entry point's name
     * @return how many times the program called it since the agent started; -1 for an unknown name
     */
    public static long calls(String name) {
        Interposer t = table;
        AtomicLongArray c = calls;
        if (t == null || c == null) {
            return -1;
        }
        for (int i = 0; i < c.length(); i++) {
            if (t.name(i).equals(name)) {
                return c.get(i);
            }
        }
        return -1;
    }
}
