package xsched.core.faults;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import xsched.backend.host.HostCommand;
import xsched.spi.hal.HwCommand;

/**
 * A host command that throws from {@link #beforeLaunch()} or from {@link #failure()}, for the
 * command-side faults; otherwise it is its host command. Only {@link FaultyBackend} queues take it
 * (they hand the host queue the command inside).
 */
final class FaultyCommand implements HwCommand {
    /** Where the command throws. */
    enum Where { BEFORE_LAUNCH, FAILURE }

    private final HostCommand inner;
    private final Where where;
    private final Throwable thrown;
    private final CountDownLatch threw = new CountDownLatch(1);

    private FaultyCommand(HostCommand inner, Where where, Throwable thrown) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.where = where;
        this.thrown = thrown;
    }

    /** @return a command whose {@code where} throws {@code thrown} (every call) */
    static FaultyCommand throwing(HostCommand inner, Where where, Throwable thrown) {
        return new FaultyCommand(inner, where, thrown);
    }

    HostCommand inner() {
        return inner;
    }

    /** @return what it throws */
    Throwable thrown() {
        return thrown;
    }

    /** Waits at most {@code millis} until it has thrown once. */
    boolean awaitThrown(long millis) throws InterruptedException {
        return threw.await(millis, TimeUnit.MILLISECONDS);
    }

    /** @return whether it has thrown */
    boolean thrownYet() {
        return threw.getCount() == 0;
    }

    private RuntimeException fail() {
        threw.countDown();
        return FaultyBackend.<RuntimeException>sneaky(thrown);
    }

    @Override
    public boolean deactivatable() {
        return inner.deactivatable();
    }

    @Override
    public boolean idempotent() {
        return inner.idempotent();
    }

    @Override
    public void beforeLaunch() {
        if (where == Where.BEFORE_LAUNCH) {
            throw fail();
        }
        inner.beforeLaunch();
    }

    @Override
    public Throwable failure() {
        if (where == Where.FAILURE) {
            throw fail();
        }
        return inner.failure();
    }

    @Override
    public String describe() {
        return "faulty(" + inner.describe() + ", " + where + ")";
    }
}
