package xsched.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;

/**
 * Holds a host device's engine inside a command until the test opens it, so that a command is
 * known to be launched and not complete. The engine waits at most a minute, so a test that fails
 * before opening its gate does not hold the device for ever.
 */
final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    /** @return a host task that waits at the gate */
    HostTask task(String name) {
        return HostTask.of(name, this::pass);
    }

    /** @return a kernel of {@code blocks} non-interruptible blocks, the first of which waits at the gate */
    HostKernel kernel(String name, int blocks) {
        return HostKernel.of(name, blocks, (block, ctx) -> {
            if (block == 0) {
                pass();
            }
        });
    }

    void pass() {
        entered.countDown();
        try {
            open.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the device runs the gated command. */
    void awaitEntered() throws InterruptedException {
        assertThat(entered.await(FaultFixture.CAP_MILLIS, TimeUnit.MILLISECONDS))
                .as("the gated command started on the device").isTrue();
    }

    void open() {
        open.countDown();
    }
}
