package xsched.core.internal.queue;

import xsched.core.engine.ScheduledQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.LaunchConfig;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;

/** Queues on a host device with no scheduler, and kernels that count every block run. */
final class QueueFixture implements AutoCloseable {
    static final QueueListener NO_SCHEDULER = new QueueListener() {
        @Override
        public void edge(ScheduledQueue queue) {
        }

        @Override
        public void closed(ScheduledQueue queue) {
        }
    };

    final HostBackend backend;
    private long ids;

    QueueFixture() {
        this(PreemptLevel.INTERRUPT);
    }

    QueueFixture(PreemptLevel maxLevel) {
        backend = new HostBackend(1, maxLevel);
    }

    ProgressiveQueue queue(PreemptLevel level, LaunchConfig config) {
        return new ProgressiveQueue(++ids, 1, backend.devices().getFirst(), backend,
                QueueOptions.defaults().withLevel(level).withLaunch(config), NO_SCHEDULER, Runnable::run);
    }

    /** A kernel whose block b adds 1 to runs[offset + b] when it finishes; each block spins ~spinNanos. */
    static HostKernel counting(AtomicIntegerArray runs, int offset, int blocks, long spinNanos, boolean idempotent) {
        return idempotent
                ? HostKernel.idempotent("count" + offset, blocks, (b, ctx) -> {
                    long end = System.nanoTime() + spinNanos;
                    while (System.nanoTime() < end) {
                        if (ctx.preempted()) {
                            return;
                        }
                    }
                    runs.incrementAndGet(offset + b);
                })
                : HostKernel.of("count" + offset, blocks, (b, ctx) -> {
                    long end = System.nanoTime() + spinNanos;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    runs.incrementAndGet(offset + b);
                });
    }

    @Override
    public void close() {
        backend.close();
    }
}
