package xsched.daemon.it;

import java.util.concurrent.Callable;

/** Waits for a condition, bounded only to fail a hung test. */
final class Eventually {
    private Eventually() {
    }

    static void that(String what, Callable<Boolean> condition) throws Exception {
        that(what, condition, () -> "");
    }

    static void that(String what, Callable<Boolean> condition, Callable<String> state) throws Exception {
        long end = System.nanoTime() + Child.PATIENCE_SECONDS * 1_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("never happened within " + Child.PATIENCE_SECONDS + " s: " + what + "; " + state.call());
            }
            Thread.sleep(20);
        }
    }
}
