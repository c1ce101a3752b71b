package xsched.run.agent;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import xsched.api.XQueue;

/**
 * Tells queues, off the application's threads, that the device finished what they had launched
 * when the application synchronized their stream: on a thread of its own, each queue waits (at most
 * a patience) for its commands through a given one to end, which makes a queue whose stream the
 * application synchronized go IDLE now rather than at its own next look. The application's thread
 * only hands the queue over: waiting there cost a CUDA-graph replay 1 to 1.5 % on the H200 (a sync
 * point recorded and asked, the IDLE edge told), {@code docs/benchmarks/cuda-h200.md}.
 */
final class Settler {
    private final Duration patience;
    /** Queue → the newest command the application's synchronize covered; the settling thread takes them. */
    private final Map<XQueue, Long> pending = new ConcurrentHashMap<>();
    private volatile Thread thread;

    /** @param patience how long a queue's bookkeeping is waited for at most; then the queue finds out by itself */
    Settler(Duration patience) {
        this.patience = patience;
    }

    /**
     * Hands a queue over to be settled through command {@code through}; returns at once.
     *
     * @param queue   the queue of a stream the application synchronized
     * @param through the newest command submitted before the synchronize; 0: nothing to settle
     */
    void settle(XQueue queue, long through) {
        if (through <= 0) {
            return;
        }
        boolean[] added = {false};
        pending.compute(queue, (q, before) -> {
            added[0] = before == null;
            return before == null ? through : Math.max(before, through);
        });
        if (added[0]) {
            LockSupport.unpark(thread());
        }
    }

    private Thread thread() {
        Thread t = thread;
        if (t == null) {
            synchronized (this) {
                t = thread;
                if (t == null) {
                    // a daemon thread: one stuck in a driver call holds up neither the program nor its exit
                    t = Thread.ofPlatform().daemon().name("xsched-run-settle").start(this::run);
                    thread = t;
                }
            }
        }
        return t;
    }

    private void run() {
        while (true) {
            if (pending.isEmpty()) {
                LockSupport.park(this);
            }
            for (XQueue queue : pending.keySet()) {
                Long through = pending.remove(queue);
                if (through != null) {
                    settleNow(queue, through);
                }
            }
        }
    }

    private void settleNow(XQueue queue, long through) {
        try {
            if (queue.outcome(through) == null) {
                queue.await(through, patience);
            }
        } catch (InterruptedException e) {
            // nobody interrupts this thread; if someone does, the queue finds out by itself
        } catch (TimeoutException | RuntimeException e) {
            // a command of another thread still waits for its launch, or the queue closed: it finds out by itself
        }
    }
}
