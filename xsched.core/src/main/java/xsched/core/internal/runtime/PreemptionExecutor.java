package xsched.core.internal.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the deactivations and interruptions the scheduler decides run, so that the scheduler
 * thread never waits on a device. A queue has at most one stop in progress, so the threads never
 * outnumber the queues; idle ones end after 30 s.
 */
final class PreemptionExecutor implements Executor, AutoCloseable {
    private final AtomicInteger threads = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> Thread.ofPlatform().daemon().name("xsched-preempt-" + threads.incrementAndGet()).unstarted(task));

    @Override
    public void execute(Runnable command) {
        pool.execute(command);
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
