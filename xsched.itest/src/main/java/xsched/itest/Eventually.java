package xsched.itest;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: SCR, ConfigAdmin and the scheduler act asynchronously. */
final class Eventually {
    private Eventually() {
    }

    /**
     * @param what      what is awaited, for the failure message
     * @param timeout   how long to wait
     * @param condition the condition
     * @param state     what the failure message reports of the current state
     * @return how long it took, in nanoseconds
     */
    static long until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> state) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout.toMillis() + " ms: " + what + "; now: " + state.get());
            }
            Thread.sleep(2);
        }
        return System.nanoTime() - start;
    }

    static long until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return until(what, timeout, condition, () -> "-");
    }
}
