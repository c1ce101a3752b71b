package xsched.run.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The agent's voice: one line on the program's stderr, each message at most once. */
final class Say {
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private Say() {
    }

    /** @param message said once per process, prefixed with "xsched run: " */
    static void once(String message) {
        if (SAID.size() < 1000 && SAID.add(message)) {
            System.err.println("xsched run: " + message);
        }
    }

    /** @param message said every time, prefixed with "xsched run: " */
    static void line(String message) {
        System.err.println("xsched run: " + message);
    }
}
