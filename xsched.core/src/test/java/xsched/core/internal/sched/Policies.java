package xsched.core.internal.sched;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/** Policies and waits shared by the engine tests. */
final class Policies {
    private Policies() {
    }

    /** Suspends every queue. */
    static final SchedulingPolicy SUSPEND_ALL = (status, context) -> status.queues().forEach(q -> context.suspend(q.id()));

    /** Lets exactly one queue run and suspends the others. */
    static SchedulingPolicy only(long queueId) {
        return (status, context) -> status.queues().forEach(q -> {
            if (q.id() == queueId) {
                context.resume(q.id());
            } else {
                context.suspend(q.id());
            }
        });
    }

    /** Blocks until released, ignoring interrupts; counts down {@code entered} on the way in. */
    static void block(CountDownLatch entered, CountDownLatch release) {
        entered.countDown();
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, java.util.concurrent.TimeUnit.DAYS);
            } catch (InterruptedException e) {
                // the watchdog interrupts an abandoned call; this policy does not care
            }
        }
    }

    /** A policy whose schedule blocks until released; before that it suspends all but queue 1. */
    static final class Stuck implements SchedulingPolicy {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch returned = new CountDownLatch(1);
        volatile boolean blockNext;

        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            if (blockNext) {
                block(entered, release);
                status.queues().stream().map(QueueStatus::id).forEach(context::suspend);
                context.timer(context.nanoTime());
                returned.countDown();
                return;
            }
            only(1).schedule(status, context);
        }
    }

    /**
     * Waits for a condition, polling; fails after a generous cap.
     *
     * @param what      the condition, for the failure message
     * @param condition what to wait for
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }
}
