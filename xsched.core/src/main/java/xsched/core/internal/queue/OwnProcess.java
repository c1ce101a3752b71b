package xsched.core.internal.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's identity, read once. */
public final class OwnProcess {
    /** This process's user id; -1 where the platform does not say. */
    public static final long UID = uid();

    private OwnProcess() {
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return -1;
        }
    }
}
