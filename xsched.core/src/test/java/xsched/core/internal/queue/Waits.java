package xsched.core.internal.queue;

import java.util.function.BooleanSupplier;

/** Waiting in tests for something another thread does, with a generous bound that only a hang reaches. */
final class Waits {
    private static final long BOUND_NANOS = 20_000_000_000L;

    private Waits() {
    }

    /**
     * @param what      what is waited for, for the failure message
     * @param condition true once it happened
     * @throws AssertionError when it did not happen within 20 s
     */
    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " not within 20 s");
            }
            Thread.sleep(1);
        }
    }
}
