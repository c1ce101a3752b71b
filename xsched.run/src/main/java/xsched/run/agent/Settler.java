package xsched.run.agent;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.XQueue;

/**
 * Tells queues, off the application's threads, that the device finished what they had launched
 * when the application synchronized their stream: on a thread of its own, each queue waits (at most
 * a patience) for its commands through a given one to end, which makes a queue whose stream the
 * application synchronized go IDLE now rather than at its own next look. The application's thread
 * only hands the queue over: waiting there cost the spin case's periodic foreground 0.1 ms at p99
 * on the H200 ({@code docs/benchmarks/cuda-h200.md}, seventh session). The thread ends after a
 * while without work and starts again when needed.
 */
final class Settler {
    /** How long the thread waits for work before it ends. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Duration patience;
    /** Queue → the newest command the application's synchronize covered; the settling thread takes them. */
    private final Map<XQueue, Long> pending = new ConcurrentHashMap<>();
    /** Held while a queue is settled: {@link #drain} waits for it. */
    private final ReentrantLock settling = new ReentrantLock();
    /** The settling thread, null while none runs; guarded by {@code this}. */
    private Thread thread;

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
            wake();
        }
    }

    /**
     * Settles on the calling thread what is still handed over, after the settling thread finished
     * the queue it is on: afterwards no settle of this settler touches a stream until the next
     * hand-over (a stream capture must not see a sync point of xsched's recorded into it).
     */
    void drain() {
        settling.lock();
        try {
            settlePending();
        } finally {
            settling.unlock();
        }
    }

    /** @return whether the settling thread runs now */
    synchronized boolean running() {
        return thread != null;
    }

    private synchronized void wake() {
        if (thread == null) {
            // a daemon thread: one stuck in a driver call holds up neither the program nor its exit
            thread = Thread.ofPlatform().daemon().name("xsched-run-settle").start(this::run);
        } else {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long idleSince = System.nanoTime();
        while (true) {
            if (!pending.isEmpty()) {
                drain();
                idleSince = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - idleSince;
            if (idle >= LINGER_NANOS) {
                synchronized (this) {
                    if (pending.isEmpty()) {
                        thread = null; // a hand-over from now on starts a new one
                        return;
                    }
                }
                continue;
            }
            LockSupport.parkNanos(this, LINGER_NANOS - idle);
            Thread.interrupted(); // nobody should interrupt it; if someone does, it must not spin
        }
    }

    private void settlePending() {
        for (XQueue queue : pending.keySet()) {
            Long through = pending.remove(queue);
            if (through != null) {
                settleNow(queue, through);
            }
        }
    }

    private void settleNow(XQueue queue, long through) {
        try {
            if (queue.outcome(through) == null) {
                queue.await(through, patience);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's, when it drains; the settling thread clears it
        } catch (TimeoutException | RuntimeException e) {
            // a command of another thread still waits for its launch, or the queue closed: it finds out by itself
        } catch (Throwable t) {
            Say.once("settling the queue " + queue + " failed; it finds out by itself that its work is done: " + t);
        }
    }
}
