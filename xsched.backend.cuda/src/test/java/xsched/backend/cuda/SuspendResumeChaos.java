package xsched.backend.cuda;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import xsched.api.XQueue;

/**
 * A thread that suspends and resumes random queues of a storm at random short intervals, while the
 * test submits and until every queue has finished its commands; now and then, once submitting is
 * over, it resumes them all so the storm can end.
 */
public final class SuspendResumeChaos {
    private final AtomicBoolean submitting = new AtomicBoolean(true);
    private final AtomicInteger toggles = new AtomicInteger();
    private final Thread thread;

    /**
     * @param queues      the storm's queues
     * @param perQueue    commands each will have finished at the end
     * @param seed        of the random choices
     * @param minNanos    the shortest pause between two toggles
     * @param spreadNanos added to it at random (below 1 ms in all)
     */
    public SuspendResumeChaos(List<XQueue> queues, int perQueue, long seed, int minNanos, int spreadNanos) {
        thread = Thread.ofPlatform().name("suspend-resume-chaos").start(() -> {
            Random r = new Random(seed);
            while (submitting.get() || queues.stream().anyMatch(q -> q.finished() < perQueue)) {
                XQueue q = queues.get(r.nextInt(queues.size()));
                if (r.nextBoolean()) {
                    q.suspend();
                } else {
                    q.resume();
                }
                toggles.incrementAndGet();
                try {
                    Thread.sleep(0, minNanos + r.nextInt(spreadNanos));
                } catch (InterruptedException e) {
                    return;
                }
                if (!submitting.get() && r.nextInt(20) == 0) {
                    queues.forEach(XQueue::resume);
                }
            }
        });
    }

    /** Submitting is over: the chaos goes on until every queue has finished. */
    public void submitted() {
        submitting.set(false);
    }

    /** @return suspensions and resumptions so far */
    public int toggles() {
        return toggles.get();
    }

    /** @param millis the longest to wait @throws InterruptedException when interrupted */
    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** @return whether it still runs */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Stops it now (a failed test). */
    public void interrupt() {
        thread.interrupt();
    }
}
