package xsched.karaf.itest;

import java.util.function.BooleanSupplier;

/** Waits, at most 30 s, for a condition the system reaches on its own threads. */
final class Eventually {
    private Eventually() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
