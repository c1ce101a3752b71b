package xsched.daemon.internal.server;

import java.util.concurrent.Callable;

/** Waits for a condition, bounded only to fail a hung test (the daemon's server and client tests). */
public final class Eventually {
    /** How long a test waits for something that must happen, before it calls it hung. */
    public static final long PATIENCE_SECONDS = 120;

    private Eventually() {
    }

    public static void that(String what, Callable<Boolean> condition) throws Exception {
        that(what, condition, () -> "");
    }

    public static void that(String what, Callable<Boolean> condition, Callable<String> state) throws Exception {
        long end = System.nanoTime() + PATIENCE_SECONDS * 1_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("never happened within " + PATIENCE_SECONDS + " s: " + what + "; " + state.call());
            }
            Thread.sleep(10);
        }
    }
}
