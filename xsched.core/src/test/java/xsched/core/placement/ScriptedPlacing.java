package xsched.core.placement;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import xsched.spi.policy.PlacementContext;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * A placing policy that does what the test says: one device's layout (a queue on a reserved
 * partition, by its hint or by a count, or the whole device), the queues it suspends (every other
 * runs), and faults: a {@code place} that throws or one that blocks until released.
 */
final class ScriptedPlacing implements SchedulingPolicy.Placing {
    final String device;
    volatile long reservedQueue = -1;
    volatile int units;
    volatile boolean byHint;
    volatile RuntimeException placeThrows;
    volatile CountDownLatch placeBlocksUntil;
    final Set<Long> suspended = ConcurrentHashMap.newKeySet();
    final AtomicInteger placeCalls = new AtomicInteger();
    /** What the last place call's reservation returned. */
    volatile boolean lastAccepted;

    ScriptedPlacing(String device) {
        this.device = device;
    }

    ScriptedPlacing reserve(long queue, int computeUnits) {
        byHint = false;
        units = computeUnits;
        reservedQueue = queue;
        return this;
    }

    ScriptedPlacing reserveByHint(long queue) {
        byHint = true;
        reservedQueue = queue;
        return this;
    }

    ScriptedPlacing whole() {
        reservedQueue = -1;
        return this;
    }

    @Override
    public void place(SchedulerStatus status, PlacementContext context) {
        placeCalls.incrementAndGet();
        RuntimeException fault = placeThrows;
        if (fault != null) {
            throw fault;
        }
        CountDownLatch block = placeBlocksUntil;
        if (block != null) {
            try {
                block.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long q = reservedQueue;
        if (q < 0) {
            context.whole(device);
        } else {
            lastAccepted = byHint ? context.reserve(q) : context.reserve(q, units);
        }
    }

    @Override
    public void schedule(SchedulerStatus status, PolicyContext context) {
        for (QueueStatus q : status.queues()) {
            if (suspended.contains(q.id())) {
                context.suspend(q.id());
            } else {
                context.resume(q.id());
            }
        }
    }
}
